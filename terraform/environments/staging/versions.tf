terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Remote state, one key per environment, with S3's own locking (use_lockfile, Terraform
  # 1.10+; no DynamoDB table needed). Create the bucket once (terraform/README.md, "State"),
  # then uncomment and run `terraform init -migrate-state`.
  # backend "s3" {
  #   bucket       = "furniture-terraform-state-<account id>"
  #   key          = "staging/terraform.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}
