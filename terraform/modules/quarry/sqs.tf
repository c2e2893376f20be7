# One work queue and one dead-letter queue per stage of pipeline.json. A message that
# fails maxReceiveCount times moves to the DLQ instead of looping, and an alarm fires.

locals {
  # What each stage function must know about its queue (a layer of its settings, lambda.tf).
  # It gives up on a failing record, and marks the document FAILED, on the delivery that the
  # redrive policy below makes the last, so it reads the same count from the same stage.
  queue_environment = {
    for name, stage in local.stages : name => {
      QUARRY_QUEUE_MAX_RECEIVE_COUNT = tostring(stage.maxReceiveCount)
    }
  }
}

resource "aws_sqs_queue" "dlq" {
  for_each = local.stages

  name                      = "${var.name}-${each.value.queue}-dlq"
  message_retention_seconds = 1209600 # 14 days, the SQS maximum: time to inspect and redrive
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "stage" {
  for_each = local.stages

  name                       = "${var.name}-${each.value.queue}"
  visibility_timeout_seconds = each.value.visibilityTimeoutSeconds
  message_retention_seconds  = 345600 # 4 days
  # SSE-SQS rather than SSE-KMS with the AWS managed key, which S3 notifications cannot use.
  sqs_managed_sse_enabled = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = each.value.maxReceiveCount
  })

  tags = var.tags

  lifecycle {
    precondition {
      condition     = each.value.visibilityTimeoutSeconds >= each.value.timeoutSeconds
      error_message = "pipeline.json: the visibility timeout of queue ${each.value.queue} must be at least the timeout of function ${each.key}."
    }
  }
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = local.stages

  queue_url = aws_sqs_queue.dlq[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.stage[each.key].arn]
  })
}

data "aws_iam_policy_document" "queue" {
  for_each = local.stages

  statement {
    sid       = "AllowDocumentsBucketNotifications"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.stage[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.documents.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "stage" {
  for_each = local.stages

  queue_url = aws_sqs_queue.stage[each.key].id
  policy    = data.aws_iam_policy_document.queue[each.key].json
}

resource "aws_lambda_event_source_mapping" "stage" {
  for_each = local.stages

  event_source_arn = aws_sqs_queue.stage[each.key].arn
  function_name    = aws_lambda_alias.live[each.key].arn
  batch_size       = each.value.batchSize
  # The shared batch processor reports failed records by messageId; only those are retried.
  function_response_types = ["ReportBatchItemFailures"]

  # The stage's maximumConcurrency from pipeline.json (the local stack runs that many sandboxes, memory
  # allowing), unless this deployment sets one for every stage.
  scaling_config {
    maximum_concurrency = coalesce(var.maximum_concurrency, each.value.maximumConcurrency)
  }

  depends_on = [aws_iam_role_policy.function]
}

resource "aws_cloudwatch_metric_alarm" "dlq" {
  for_each = local.stages

  alarm_name          = "${var.name}-${each.value.queue}-dlq-not-empty"
  alarm_description   = "Messages of the ${each.value.queue} queue failed ${each.value.maxReceiveCount} times and wait in ${aws_sqs_queue.dlq[each.key].name}. Inspect them, fix the cause, then redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq[each.key].name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
