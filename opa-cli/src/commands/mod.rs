//! One module per command.

mod app_operate;
mod audit_list;
mod bootstrap_aws;
mod catalog_check;
mod catalog_discover;
mod catalog_discover_github;
mod catalog_graph;
mod config_check;
mod pipeline_generate;
mod platform_backends;
mod policy_apply;
mod port_validate;
mod quickstart;
mod rbac_namespace;
mod render_composition;
pub(crate) mod stacks;
mod template;
mod validate;

use std::process::ExitCode;

use crate::cli::{
    AuditCommand, BootstrapCommand, CatalogCommand, Cli, Command, ConfigCommand, PipelineCommand,
    PolicyCommand, PortCommand, RbacCommand, RenderCommand, StacksCommand, TemplateCommand,
};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Quickstart(args) => quickstart::run(args.dir, args.format),
        Command::Validate(args) => validate::run(&args),
        Command::Catalog(CatalogCommand::Check(args)) => catalog_check::run(&args),
        Command::Catalog(CatalogCommand::Graph(args)) => catalog_graph::run(&args),
        Command::Catalog(CatalogCommand::Discover(args)) => {
            catalog_discover::run(cli.config.as_deref(), &args)
        }
        Command::Policy(PolicyCommand::Apply(args)) => policy_apply::run(&args),
        Command::Rbac(RbacCommand::Namespace(args)) => rbac_namespace::run(&args),
        Command::Port(PortCommand::Validate(args)) => port_validate::run(&args),
        Command::Render(RenderCommand::Composition(args)) => render_composition::run(&args),
        Command::App(command) => app_operate::run(cli.config.as_deref(), command),
        Command::Audit(AuditCommand::List(args)) => audit_list::run(cli.config.as_deref(), &args),
        Command::Config(ConfigCommand::Check(args)) => {
            config_check::run(cli.config.as_deref(), &args)
        }
        Command::Pipeline(PipelineCommand::Generate(args)) => {
            pipeline_generate::run(cli.config.as_deref(), &args)
        }
        Command::Template(TemplateCommand::Validate(args)) => template::validate::run(&args),
        Command::Template(TemplateCommand::Run(args)) => {
            template::run::run(&args, cli.config.as_deref())
        }
        Command::Template(TemplateCommand::Render(args)) => template::render::run(&args),
        Command::Bootstrap(BootstrapCommand::Aws(args)) => bootstrap_aws::run(&args),
        Command::Stacks(StacksCommand::List(args)) => stacks::list(cli.config.as_deref(), &args),
        Command::Stacks(StacksCommand::Trigger(args)) => {
            stacks::trigger(cli.config.as_deref(), &args)
        }
    }
}
