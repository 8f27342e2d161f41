-- A provider may still report more than a request held. That overrun is charged in full rather
-- than dropped: the balance may go below zero by it (and only by it), which refuses the
-- account's next hold with 402 until it is topped up. held <= balance therefore no longer holds
-- for an account in debt; holds themselves stay non-negative.
ALTER TABLE billing.balances DROP CONSTRAINT balances_balance_micros_check;
ALTER TABLE billing.balances DROP CONSTRAINT balances_check;

-- The hold a settle released, so an overrun (cost_micros > held_micros) can be found per request.
ALTER TABLE billing.usage ADD COLUMN held_micros bigint;
