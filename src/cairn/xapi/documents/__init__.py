"""The xAPI document resources (State, Activity Profile, Agent Profile) and the
Agents and Activities lookups that sit beside them (Communication 2.2-2.7)."""
