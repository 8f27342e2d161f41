-- A key may be bound to vouchers: voucher_ids (it spends only those) or vouchers_only (it spends
-- any of its account's vouchers); either way it never spends the account's cash.
ALTER TABLE auth.api_keys ADD COLUMN voucher_ids bigint[];
ALTER TABLE auth.api_keys ADD COLUMN vouchers_only boolean NOT NULL DEFAULT false;
