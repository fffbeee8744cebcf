-- Services (heating, cleaning of shared areas) charged weekly on top of the rent.
ALTER TABLE rent_accounts ADD COLUMN weekly_service_charge_pence bigint NOT NULL DEFAULT 0
    CHECK (weekly_service_charge_pence >= 0);
ALTER TABLE charge_changes ADD COLUMN old_weekly_service_pence bigint NOT NULL DEFAULT 0;
ALTER TABLE charge_changes ADD COLUMN new_weekly_service_pence bigint NOT NULL DEFAULT 0;
