//! Sealing a secret for GitHub Actions: libsodium's `crypto_box_seal` (X25519 +
//! XSalsa20-Poly1305 with an ephemeral key) to the repository's public key, as GitHub's
//! "encrypting secrets for the REST API" guide asks.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use crypto_box::PublicKey;
use crypto_box::aead::OsRng;
use opa_core::vcs::VcsError;

/// Seals `value` to the base64 Curve25519 `public_key` and returns the sealed box in base64.
pub fn seal_secret(public_key: &str, value: &[u8]) -> Result<String, VcsError> {
    let bytes = BASE64.decode(public_key.trim()).map_err(|e| {
        VcsError::Backend(format!("GitHub's Actions public key is not base64: {e}"))
    })?;
    let key: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
        VcsError::Backend(format!(
            "GitHub's Actions public key has {} bytes, not 32",
            b.len()
        ))
    })?;
    let sealed = PublicKey::from(key)
        .seal(&mut OsRng, value)
        .map_err(|_| VcsError::Backend("cannot seal the secret".to_string()))?;
    Ok(BASE64.encode(sealed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_box::SecretKey;

    #[test]
    fn the_sealed_box_opens_with_the_secret_key() {
        let secret = SecretKey::generate(&mut OsRng);
        let public = BASE64.encode(secret.public_key().as_bytes());
        let sealed = seal_secret(&public, b"s3cr3t value").unwrap();
        let bytes = BASE64.decode(&sealed).unwrap();
        // 32-byte ephemeral key + 16-byte tag + the message.
        assert_eq!(bytes.len(), 32 + 16 + 12);
        assert_eq!(secret.unseal(&bytes).unwrap(), b"s3cr3t value");
        let other = SecretKey::generate(&mut OsRng);
        assert!(other.unseal(&bytes).is_err());
    }

    /// A box sealed by libsodium (PyNaCl's `SealedBox`) to the key pair whose secret key is the
    /// bytes 0..32: the same construction, so GitHub's libsodium opens ours.
    #[test]
    fn opens_a_box_sealed_by_libsodium() {
        let secret = SecretKey::from(std::array::from_fn::<u8, 32, _>(|i| i as u8));
        assert_eq!(
            BASE64.encode(secret.public_key().as_bytes()),
            "j0DFrbaPJWJK5bIU6nZ6bslNgp09e14a0bpvPiE4KF8="
        );
        let sealed = BASE64
            .decode("+kfeYF5p2gp6ipX2mIZ4AwzQrq7dA7ocX3aqfLY7ijeoHZduTdCSk9DK4ZNpvsN2DiS3qgkLtEW5O2yes1jjGJOCLQ==")
            .unwrap();
        assert_eq!(secret.unseal(&sealed).unwrap(), b"sealed by libsodium");
    }

    #[test]
    fn rejects_bad_keys() {
        assert!(seal_secret("not base64!", b"x").is_err());
        assert!(seal_secret(&BASE64.encode([1u8; 16]), b"x").is_err());
    }
}
