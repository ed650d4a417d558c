"""The fictional demo network (people, organisations, ties, referrals): plausible, never real."""
