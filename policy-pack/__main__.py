"""irsa-components' IAM review as a Pulumi policy pack: one stack policy per finding id, and one for what
cannot be checked until apply (irsa_components.review.policy_pack holds the logic).

Levels per finding id can be changed without editing this file, in the pack's configuration
(``pulumi preview --policy-pack-config config.json`` or the organization's policy group), e.g.
``{"IRSA005": "mandatory", "IRSA007": "disabled"}``.
"""

from irsa_components.review.policy_pack import serve_policy_pack

SEVERITY_LEVELS = {"high": "mandatory", "medium": "advisory", "low": "advisory"}
"""The level of each finding id by default, from its severity. A platform team may edit it before publishing."""

serve_policy_pack(SEVERITY_LEVELS)
