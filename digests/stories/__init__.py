"""Story clustering: folding syndicated and spun copies of one article into one story (pure).

Candidates come from an indexed lookup of MinHash-LSH band keys (text bands for copies, name
bands for spun copies), never from a scan; `same_story` confirms each candidate.
"""

from digests.stories.cleaning import clean_body
from digests.stories.compare import same_story
from digests.stories.fingerprint import Fingerprint, fingerprint
from digests.stories.index import StoryIndex
from digests.stories.lead import LeadCandidate, pick_lead

__all__ = [
    "Fingerprint",
    "LeadCandidate",
    "StoryIndex",
    "clean_body",
    "fingerprint",
    "pick_lead",
    "same_story",
]
