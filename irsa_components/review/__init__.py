"""The IAM review behind `irsa-components plan` (and, through the same findings, a policy pack).

- ``analysis``: the evaluator (who can assume a trust policy, for which request; ``may_assume`` is its sound side).
- ``condition_keys``: which condition keys each kind of principal's requests carry (a table with sources).
- ``exposure``: who can really assume a role, judged by meaning: probe requests put to the evaluator.
- ``permissions``: every policy attached to a role, admin-equivalent policies and escalation actions (tables).
- ``findings``: the findings over recorded resources, with ids, severities, fixes and fingerprints.
- ``gate``: suppressions (``irsa:ignore``), baselines and which findings fail a CI run.
- ``report``: the report model built from a program run, and its text, markdown and JSON renderers.
- ``policy_pack``: the findings as a Pulumi policy pack (``policy-pack/``), over what the engine gives a pack.
"""
