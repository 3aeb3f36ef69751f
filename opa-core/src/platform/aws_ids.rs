//! Pure predicates on AWS identifiers, byte-level.

/// A 12-digit AWS account id (`123456789012`).
pub fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|c| c.is_ascii_digit())
}

/// A region name of AWS's form: two letters, one or more words, a number (`us-east-1`,
/// `us-gov-west-1`, `ap-southeast-2`).
pub fn is_region(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|c| c.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|c| c.is_ascii_digit())
}

/// An IAM role ARN: `arn:<partition>:iam::<account>:role/<path/name>`.
pub fn is_role_arn(value: &str) -> bool {
    let mut parts = value.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    matches!(
        partition,
        "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b"
    ) && is_account_id(account)
        && resource
            .strip_prefix("role/")
            .is_some_and(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_account_id("012345678901"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-2",
            "eu-central-1",
        ] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in ["", "us-east", "useast1", "US-EAST-1", "us--1", "u-east-1"] {
            assert!(!is_region(bad), "{bad}");
        }
        assert!(is_role_arn(
            "arn:aws:iam::123456789012:role/opa/provisioning"
        ));
        assert!(!is_role_arn("arn:aws:iam::123:role/x"));
        assert!(!is_role_arn("arn:aws:s3:::bucket"));
    }
}
