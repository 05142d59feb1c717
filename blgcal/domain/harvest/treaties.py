"""Which blgcal body organises a treaty's meetings, for every connector.

Protocols and agreements go to their parent convention's secretariat: the
Cartagena and Nagoya protocols to the CBD, AEWA, ASCOBANS, EUROBATS and the
other CMS-family instruments to the CMS, the Kyoto Protocol and the Paris
Agreement to the UNFCCC. ``ICRW`` (the whaling convention) is the IWC's.
Names are compared in lower case with spaces, dashes and underscores alike.
"""

from __future__ import annotations

import re

TREATY_BODIES = {
    "cbd": "cbd", "cartagena": "cbd", "cartagena protocol": "cbd", "nagoya": "cbd",
    "nagoya protocol": "cbd", "cites": "cites", "cms": "cms", "aewa": "cms",
    "ascobans": "cms", "eurobats": "cms", "accobams": "cms", "iosea": "cms", "raptors": "cms",
    "sharks": "cms", "dugong": "cms", "gorilla": "cms", "wadden sea seals": "cms",
    "ramsar": "ramsar", "whc": "whc", "world heritage": "whc", "ippc": "ippc",
    "itpgrfa": "itpgrfa", "plant treaty": "itpgrfa", "iwc": "iwc", "icrw": "iwc",
    "unccd": "unccd", "unfccc": "unfccc", "kyoto": "unfccc", "paris": "unfccc",
}


def body_for(treaty: str) -> str | None:
    """The body slug for a treaty's short name, or None if blgcal does not know it."""
    return TREATY_BODIES.get(re.sub(r"[\s_-]+", " ", treaty.strip().lower()))
