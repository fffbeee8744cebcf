-- Whether the nominee held a social tenancy (council or housing association) when nominated:
-- an under-occupation incentive pays for releasing a social home, and only that.
ALTER TABLE nominations ADD COLUMN social_tenant boolean;
