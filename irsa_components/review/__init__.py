"""The IAM review behind `irsa-components plan` (and, through the same findings, a policy pack).

- ``analysis``: the evaluator (who can assume a trust policy, for which request).
- ``findings``: the findings over recorded resources, with ids, severities and fixes.
- ``report``: the report model built from a program run, and its text, markdown and JSON renderers.
- ``policy_pack``: the findings as a Pulumi policy pack (``policy-pack/``), over what the engine gives a pack.
"""
