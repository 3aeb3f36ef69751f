# Infrastructure of the ${{ values.name }} environment provider (${{ values.envType }} in ${{ values.awsRegion }}).
# `opa quickstart` provisions it on the embedded local cloud; on AWS, `opa bootstrap aws` makes the
# roles, the audit table and the Terraform state this configuration uses.
terraform {
  backend "s3" {
    bucket         = "${{ values.prefix }}-${{ values.name }}-tfstate"
    key            = "provider/terraform.tfstate"
    region         = "${{ values.awsRegion }}"
    dynamodb_table = "${{ values.prefix }}-${{ values.name }}-tflock"
  }
}

provider "aws" {
  region = "${{ values.awsRegion }}"
}
