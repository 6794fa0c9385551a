# Models arrive with the enforcement issue; see mission.md.
