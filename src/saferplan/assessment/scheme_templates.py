"""The two scoring schemes SaferPlan ships, as starting points the partnership copies and then edits
(services.scoring.scheme_from_template): every scale, label and weight below is the partnership's to change.
No national scale is embedded.

- "morile": four dimensions (harm, likelihood, organisational position, confidence), each with its own scale,
  labelled values and weight, combined by weighted sum, in the manner of MoRiLE (Management of Risk in Law
  Enforcement). The scales, labels and weights here are SaferPlan's suggested starting values, not MoRiLE's.
- "impact_likelihood": impact 1–4 and likelihood 1–4, combined as their product, drawn on a 4 × 4 risk matrix
  (impact up, likelihood across).

Each template: name, description, method (ScoringScheme.Method value), matrix_x and matrix_y (dimension
names), and dimensions: name, description, scale_min, scale_max, weight (a string, exact as a Decimal) and labels
(value, label, description), one label for every value of the scale.
"""

from __future__ import annotations

TEMPLATES: dict[str, dict] = {
    "morile": {
        "name": "Threat, harm and risk (in the manner of MoRiLE)",
        "description": (
            "Each issue on the long-list is scored on four dimensions: the harm it causes, how likely it is to "
            "happen, the partnership's position to deal with it, and the confidence in the evidence. The total "
            "is the weighted sum of the four scores, in the manner of MoRiLE (Management of Risk in Law "
            "Enforcement). The partnership sets the scales, their labels and the weights: the ones this scheme "
            "started with are SaferPlan's suggestions, and no national scale is embedded."
        ),
        "method": "weighted_sum",
        "matrix_x": "Likelihood",
        "matrix_y": "Harm",
        "dimensions": [
            {
                "name": "Harm",
                "description": (
                    "The harm the issue causes to victims, families and communities: physical, psychological, "
                    "financial and to community confidence."
                ),
                "scale_min": 1,
                "scale_max": 5,
                "weight": "2",
                "labels": [
                    (1, "Minimal", "Little or no lasting harm"),
                    (2, "Minor", "Short-lived harm to a few people"),
                    (3, "Moderate", "Lasting harm to some people, or harm felt across a neighbourhood"),
                    (4, "Major", "Serious or lasting harm to many people"),
                    (5, "Severe", "Loss of life, or serious lasting harm across communities"),
                ],
            },
            {
                "name": "Likelihood",
                "description": "How likely the issue is to happen, or how often it happens, in the coming year.",
                "scale_min": 1,
                "scale_max": 5,
                "weight": "1.5",
                "labels": [
                    (1, "Rare", "Not expected in the coming year"),
                    (2, "Unlikely", "Could happen, but not expected often"),
                    (3, "Possible", "Happens from time to time"),
                    (4, "Likely", "Happens often"),
                    (5, "Almost certain", "Happens every week or more"),
                ],
            },
            {
                "name": "Organisational position",
                "description": (
                    "How well placed the partners are to deal with the issue: their capacity, capability, "
                    "duties and the public's expectations. A weaker position scores higher."
                ),
                "scale_min": 1,
                "scale_max": 4,
                "weight": "1",
                "labels": [
                    (1, "Strong", "Well resourced and effective work already in place"),
                    (2, "Adequate", "Work in place, with some gaps"),
                    (3, "Limited", "Significant gaps in capacity or capability"),
                    (4, "Weak", "Little or no capacity or capability to respond"),
                ],
            },
            {
                "name": "Confidence",
                "description": "How confident the scorers are in the evidence behind their scores.",
                "scale_min": 1,
                "scale_max": 3,
                "weight": "0.5",
                "labels": [
                    (1, "Low", "Little evidence, or evidence of poor quality"),
                    (2, "Medium", "Some evidence, with gaps"),
                    (3, "High", "Good, recent evidence from several sources"),
                ],
            },
        ],
    },
    "impact_likelihood": {
        "name": "Impact and likelihood (4 × 4)",
        "description": (
            "Each issue on the long-list is scored for its impact and its likelihood, each from 1 to 4; the "
            "total is impact × likelihood (1 to 16), drawn on a 4 × 4 risk matrix. The partnership sets the "
            "scales and their labels: the ones this scheme started with are SaferPlan's suggestions, and no "
            "national scale is embedded."
        ),
        "method": "product",
        "matrix_x": "Likelihood",
        "matrix_y": "Impact",
        "dimensions": [
            {
                "name": "Impact",
                "description": "The impact of the issue on victims, communities and the partners.",
                "scale_min": 1,
                "scale_max": 4,
                "weight": "1",
                "labels": [
                    (1, "Low", "Little impact"),
                    (2, "Medium", "Noticeable impact on some people"),
                    (3, "High", "Serious impact on many people"),
                    (4, "Very high", "Severe or widespread impact"),
                ],
            },
            {
                "name": "Likelihood",
                "description": "How likely the issue is to happen, or how often it happens, in the coming year.",
                "scale_min": 1,
                "scale_max": 4,
                "weight": "1",
                "labels": [
                    (1, "Unlikely", "Not expected in the coming year"),
                    (2, "Possible", "Could happen from time to time"),
                    (3, "Likely", "Expected to happen often"),
                    (4, "Almost certain", "Happens regularly"),
                ],
            },
        ],
    },
}
