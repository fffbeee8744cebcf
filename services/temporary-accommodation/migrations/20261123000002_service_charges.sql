-- Services (heating, cleaning of shared areas) charged to the household on top of the rent.
ALTER TABLE units ADD COLUMN weekly_service_charge_pence bigint NOT NULL DEFAULT 0
    CHECK (weekly_service_charge_pence >= 0);
ALTER TABLE placements ADD COLUMN weekly_service_charge_pence bigint NOT NULL DEFAULT 0;
