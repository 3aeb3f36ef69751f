//! An app's ECS service: desired count for start and stop, forced new deployments for
//! restarts, new task definition revisions for environment variables and releases.

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{
    ContainerDefinition, KeyValuePair, Service, ServiceField, Tag, TaskDefinition,
    TaskDefinitionField,
};
use opa_core::cloud::{AppStatus, AppTarget, CloudError, RunState};

use super::{not_deployed, output};
use crate::aws::error::cloud_error;

/// The service tag holding the deployments OPA made.
const DEPLOYMENTS_TAG: &str = "opa:deployments";
/// The service tag holding the desired count a stop replaced.
const DESIRED_TAG: &str = "opa:desired-count";

/// `(cluster, service)` from a service ARN: `…:service/<cluster>/<name>` (the current format)
/// or `…:service/<name>` (the old one, without the cluster).
pub(crate) fn parse_service_arn(arn: &str) -> Option<(Option<&str>, &str)> {
    let resource = arn.strip_prefix("arn:")?.splitn(5, ':').nth(4)?;
    let rest = resource.strip_prefix("service/")?;
    match rest.split_once('/') {
        Some((cluster, name)) if !cluster.is_empty() && !name.is_empty() => {
            Some((Some(cluster), name))
        }
        None if !rest.is_empty() => Some((None, rest)),
        _ => None,
    }
}

/// The tag (or digest) of a container image; `latest` when it has none.
pub(crate) fn image_version(image: &str) -> &str {
    let name_start = image.rfind('/').map_or(0, |i| i + 1);
    let last = &image[name_start..];
    if let Some(at) = last.find('@') {
        return &last[at + 1..];
    }
    last.rsplit_once(':').map_or("latest", |(_, tag)| tag)
}

/// `image` with its tag (or digest) replaced by `version`.
pub(crate) fn image_with_version(image: &str, version: &str) -> String {
    let name_start = image.rfind('/').map_or(0, |i| i + 1);
    let last = &image[name_start..];
    let end = last
        .find('@')
        .or_else(|| last.rfind(':'))
        .map_or(image.len(), |i| name_start + i);
    format!("{}:{version}", &image[..end])
}

/// An app's ECS service, located from its deployment outputs.
pub(crate) struct EcsApp<'a> {
    client: aws_sdk_ecs::Client,
    target: &'a AppTarget,
    cluster: String,
    service: String,
}

/// What DescribeServices and DescribeTaskDefinition say about the service.
struct Described {
    service: Service,
    task_definition: TaskDefinition,
    task_definition_tags: Vec<Tag>,
}

impl Described {
    fn tag(&self, key: &str) -> Option<&str> {
        self.service
            .tags()
            .iter()
            .find(|t| t.key() == Some(key))
            .and_then(|t| t.value())
    }

    fn deployments(&self) -> u64 {
        self.tag(DEPLOYMENTS_TAG)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
}

impl<'a> EcsApp<'a> {
    pub(crate) fn locate(
        client: aws_sdk_ecs::Client,
        target: &'a AppTarget,
    ) -> Result<Self, CloudError> {
        let from_arn = output(target, &["EcsServiceArn"]).and_then(parse_service_arn);
        let service = from_arn
            .map(|(_, s)| s)
            .or_else(|| output(target, &["EcsServiceName"]))
            .ok_or_else(|| not_deployed(target, "EcsServiceArn"))?;
        let cluster = from_arn
            .and_then(|(c, _)| c)
            .or_else(|| output(target, &["EcsClusterArn", "EcsClusterName"]))
            .or(target.cluster.as_deref())
            .ok_or_else(|| {
                CloudError::InvalidRequest(format!(
                    "no ECS cluster for {} in {}/{}: the service ARN names none and neither the outputs (EcsClusterArn) nor the provider (clusterName) do",
                    target.app, target.env, target.provider
                ))
            })?;
        Ok(Self {
            client,
            target,
            cluster: cluster.to_string(),
            service: service.to_string(),
        })
    }

    fn missing(&self) -> CloudError {
        CloudError::not_found(
            "app",
            format!(
                "{} in {}/{} (ECS service {} in cluster {})",
                self.target.app, self.target.env, self.target.provider, self.service, self.cluster
            ),
        )
    }

    async fn describe(&self) -> Result<Described, CloudError> {
        let out = self
            .client
            .describe_services()
            .cluster(&self.cluster)
            .services(&self.service)
            .include(ServiceField::Tags)
            .send()
            .await
            .map_err(|e| {
                match cloud_error(e, "ecs:DescribeServices", "service", &self.service) {
                    CloudError::NotFound { .. } => self.missing(),
                    other => other,
                }
            })?;
        // A deleted service stays INACTIVE for a while; a missing one is a failure.
        let service = out
            .services()
            .iter()
            .find(|s| s.status() != Some("INACTIVE"))
            .cloned()
            .ok_or_else(|| self.missing())?;
        let arn = service
            .task_definition()
            .ok_or_else(|| {
                CloudError::Backend(format!("service {} has no task definition", self.service))
            })?
            .to_string();
        let td = self
            .client
            .describe_task_definition()
            .task_definition(&arn)
            .include(TaskDefinitionField::Tags)
            .send()
            .await
            .map_err(|e| cloud_error(e, "ecs:DescribeTaskDefinition", "task-definition", &arn))?;
        let task_definition_tags = td.tags().to_vec();
        let task_definition = td
            .task_definition()
            .cloned()
            .ok_or_else(|| CloudError::not_found("task-definition", arn))?;
        Ok(Described {
            service,
            task_definition,
            task_definition_tags,
        })
    }

    /// The app's container: named like the app, else the first.
    fn container_index(&self, td: &TaskDefinition) -> Result<usize, CloudError> {
        let containers = td.container_definitions();
        if containers.is_empty() {
            return Err(CloudError::Backend(format!(
                "the task definition of service {} has no container",
                self.service
            )));
        }
        Ok(containers
            .iter()
            .position(|c| c.name() == Some(self.target.app.as_str()))
            .unwrap_or(0))
    }

    fn status_of(&self, d: &Described) -> Result<AppStatus, CloudError> {
        let desired = u32::try_from(d.service.desired_count()).unwrap_or(0);
        let i = self.container_index(&d.task_definition)?;
        let version = d.task_definition.container_definitions()[i]
            .image()
            .map(|image| image_version(image).to_string());
        Ok(AppStatus {
            state: if desired > 0 {
                RunState::Running
            } else {
                RunState::Stopped
            },
            version,
            desired,
            deployments: d.deployments(),
        })
    }

    async fn tag(&self, d: &Described, tags: &[(&str, String)]) -> Result<(), CloudError> {
        let arn = d
            .service
            .service_arn()
            .ok_or_else(|| CloudError::Backend(format!("service {} has no ARN", self.service)))?;
        let mut req = self.client.tag_resource().resource_arn(arn);
        for (k, v) in tags {
            req = req.tags(Tag::builder().key(*k).value(v).build());
        }
        req.send()
            .await
            .map_err(|e| cloud_error(e, "ecs:TagResource", "service", &self.service))?;
        Ok(())
    }

    pub(crate) async fn status(&self) -> Result<AppStatus, CloudError> {
        let d = self.describe().await?;
        self.status_of(&d)
    }

    async fn set_desired(&self, count: i32) -> Result<(), CloudError> {
        self.client
            .update_service()
            .cluster(&self.cluster)
            .service(&self.service)
            .desired_count(count)
            .send()
            .await
            .map_err(|e| cloud_error(e, "ecs:UpdateService", "service", &self.service))?;
        Ok(())
    }

    /// The desired count a start restores: the one a stop remembered, else 1.
    fn restored_count(d: &Described) -> i32 {
        d.tag(DESIRED_TAG)
            .and_then(|v| v.parse::<i32>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(1)
    }

    pub(crate) async fn start(&self) -> Result<AppStatus, CloudError> {
        let d = self.describe().await?;
        if d.service.desired_count() == 0 {
            self.set_desired(Self::restored_count(&d)).await?;
        }
        self.status().await
    }

    pub(crate) async fn stop(&self) -> Result<AppStatus, CloudError> {
        let d = self.describe().await?;
        let desired = d.service.desired_count();
        if desired > 0 {
            self.tag(&d, &[(DESIRED_TAG, desired.to_string())]).await?;
            self.set_desired(0).await?;
        }
        self.status().await
    }

    pub(crate) async fn restart(&self) -> Result<AppStatus, CloudError> {
        let d = self.describe().await?;
        let mut req = self
            .client
            .update_service()
            .cluster(&self.cluster)
            .service(&self.service)
            .force_new_deployment(true);
        if d.service.desired_count() == 0 {
            req = req.desired_count(Self::restored_count(&d));
        }
        req.send()
            .await
            .map_err(|e| cloud_error(e, "ecs:UpdateService", "service", &self.service))?;
        self.tag(&d, &[(DEPLOYMENTS_TAG, (d.deployments() + 1).to_string())])
            .await?;
        self.status().await
    }

    pub(crate) async fn env_vars(&self) -> Result<BTreeMap<String, String>, CloudError> {
        let d = self.describe().await?;
        let i = self.container_index(&d.task_definition)?;
        Ok(environment(&d.task_definition.container_definitions()[i]))
    }

    pub(crate) async fn change_env(
        &self,
        change: impl FnOnce(&mut BTreeMap<String, String>),
    ) -> Result<(), CloudError> {
        let d = self.describe().await?;
        let i = self.container_index(&d.task_definition)?;
        let before = environment(&d.task_definition.container_definitions()[i]);
        let mut after = before.clone();
        change(&mut after);
        if after == before {
            return Ok(());
        }
        self.redeploy(&d, |c| {
            c.environment = Some(
                after
                    .iter()
                    .map(|(k, v)| KeyValuePair::builder().name(k).value(v).build())
                    .collect(),
            );
        })
        .await?;
        Ok(())
    }

    pub(crate) async fn release(&self, version: &str) -> Result<AppStatus, CloudError> {
        let d = self.describe().await?;
        let i = self.container_index(&d.task_definition)?;
        let image = d.task_definition.container_definitions()[i]
            .image()
            .ok_or_else(|| {
                CloudError::Backend(format!("the container of {} has no image", self.service))
            })?
            .to_string();
        let image = image_with_version(&image, version);
        self.redeploy(&d, |c| c.image = Some(image)).await?;
        self.status().await
    }

    /// Registers a revision of the service's task definition with the app's container changed,
    /// updates the service to it (a rolling deployment) and counts the deployment.
    async fn redeploy(
        &self,
        d: &Described,
        change: impl FnOnce(&mut ContainerDefinition),
    ) -> Result<(), CloudError> {
        let td = &d.task_definition;
        let i = self.container_index(td)?;
        let mut containers = td.container_definitions().to_vec();
        change(&mut containers[i]);
        let family = td.family().unwrap_or_default().to_string();
        let registered = self
            .client
            .register_task_definition()
            .family(&family)
            .set_container_definitions(Some(containers))
            .set_task_role_arn(td.task_role_arn.clone())
            .set_execution_role_arn(td.execution_role_arn.clone())
            .set_network_mode(td.network_mode.clone())
            .set_volumes(td.volumes.clone())
            .set_placement_constraints(td.placement_constraints.clone())
            .set_requires_compatibilities(td.requires_compatibilities.clone())
            .set_cpu(td.cpu.clone())
            .set_memory(td.memory.clone())
            .set_pid_mode(td.pid_mode.clone())
            .set_ipc_mode(td.ipc_mode.clone())
            .set_proxy_configuration(td.proxy_configuration.clone())
            .set_inference_accelerators(td.inference_accelerators.clone())
            .set_ephemeral_storage(td.ephemeral_storage.clone())
            .set_runtime_platform(td.runtime_platform.clone())
            .set_tags((!d.task_definition_tags.is_empty()).then(|| d.task_definition_tags.clone()))
            .send()
            .await
            .map_err(|e| {
                cloud_error(e, "ecs:RegisterTaskDefinition", "task-definition", &family)
            })?;
        let arn = registered
            .task_definition()
            .and_then(|t| t.task_definition_arn())
            .ok_or_else(|| {
                CloudError::Backend("ecs:RegisterTaskDefinition returned no ARN".into())
            })?;
        self.client
            .update_service()
            .cluster(&self.cluster)
            .service(&self.service)
            .task_definition(arn)
            .send()
            .await
            .map_err(|e| cloud_error(e, "ecs:UpdateService", "service", &self.service))?;
        self.tag(d, &[(DEPLOYMENTS_TAG, (d.deployments() + 1).to_string())])
            .await
    }
}

/// A container's environment variables.
fn environment(container: &ContainerDefinition) -> BTreeMap<String, String> {
    container
        .environment()
        .iter()
        .filter_map(|kv| Some((kv.name()?.to_string(), kv.value().unwrap_or("").to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_arns_in_both_formats() {
        assert_eq!(
            parse_service_arn("arn:aws:ecs:us-east-1:123456789012:service/opa-dev/payments"),
            Some((Some("opa-dev"), "payments"))
        );
        assert_eq!(
            parse_service_arn("arn:aws:ecs:us-east-1:123456789012:service/payments"),
            Some((None, "payments"))
        );
        assert_eq!(
            parse_service_arn("arn:aws:ecs:us-east-1:123456789012:cluster/opa-dev"),
            None
        );
        assert_eq!(parse_service_arn("payments"), None);
        assert_eq!(
            parse_service_arn("arn:aws:ecs:us-east-1:123456789012:service/"),
            None
        );
    }

    #[test]
    fn image_tags_digests_and_registry_ports() {
        assert_eq!(image_version("nginx"), "latest");
        assert_eq!(image_version("nginx:1.27"), "1.27");
        assert_eq!(image_version("registry:5000/team/app"), "latest");
        assert_eq!(image_version("registry:5000/team/app:2.0.1"), "2.0.1");
        assert_eq!(image_version("app@sha256:abc"), "sha256:abc");
        assert_eq!(image_with_version("nginx", "2"), "nginx:2");
        assert_eq!(
            image_with_version("registry:5000/team/app:1.0", "2.0.1"),
            "registry:5000/team/app:2.0.1"
        );
        assert_eq!(
            image_with_version("registry:5000/team/app", "2.0.1"),
            "registry:5000/team/app:2.0.1"
        );
        assert_eq!(
            image_with_version("1234.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc", "v3"),
            "1234.dkr.ecr.us-east-1.amazonaws.com/app:v3"
        );
    }
}
