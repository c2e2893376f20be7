# The pipeline's wiring (queues, triggers, limits) is not written here: it is read from
# infra/pipeline.json, the same file the local stack reads, so the two cannot drift.
# Queues, dead-letter queues, event source mappings, bucket notifications and the stage
# functions are all derived from it with for_each.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Variable defaults cannot reference path.module, so null means "the repository's own file".
  pipeline_file = coalesce(var.pipeline_file, "${path.module}/../../../infra/pipeline.json")
  artifacts_dir = coalesce(var.artifacts_dir, "${path.module}/../../../functions")

  pipeline = jsondecode(file(local.pipeline_file))

  # Stage function name => stage definition from pipeline.json.
  stages = { for stage in local.pipeline.stages : stage.function => stage }

  # One entry per S3 trigger of every stage; each becomes a queue block of the bucket notification.
  triggers = flatten([
    for stage in local.pipeline.stages : [
      for position, trigger in stage.triggers : {
        id       = "${stage.function}-${position}"
        function = stage.function
        events   = trigger.events
        prefix   = trigger.prefix
        # "" = no suffix filter (S3 suffix filters are case-sensitive; uploads are matched in any case by the function)
        suffix = trigger.suffix == "" ? null : trigger.suffix
      }
    ]
  ])

  # Every Lambda: the pipeline stages (limits from pipeline.json) plus the query API.
  functions = merge(
    {
      for name, stage in local.stages : name => {
        memory_mb       = stage.memoryMb
        timeout_seconds = stage.timeoutSeconds
      }
    },
    {
      query = {
        memory_mb       = var.query_memory_mb
        timeout_seconds = var.query_timeout_seconds
      }
    },
  )

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  documents_prefix = local.pipeline.bucketPrefixes.documents
  work_prefix      = local.pipeline.bucketPrefixes.work
}
