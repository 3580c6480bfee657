# No Entra ID objects in this plan.
