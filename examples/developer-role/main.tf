# DeveloperRole, the seed scenario (same role as trust-policy.json).

data "aws_iam_policy_document" "developer_trust" {
  statement {
    sid     = "AliceMayAssume"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:user/alice"]
    }
  }
}

resource "aws_iam_role" "developer" {
  name                = "DeveloperRole"
  assume_role_policy  = data.aws_iam_policy_document.developer_trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess"]
}
