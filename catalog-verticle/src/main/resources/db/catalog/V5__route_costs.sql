-- What a route's provider charges the operator, in the bus form (micro-credits):
-- {"tokens": {"input_micros_per_mtok": ..., ...}, "media": {"per_image_micros": {...}, "per_second_micros": {...}}}.
-- Null: the upstream cost is unknown (its usage rows are uncosted in the operator's reports).
ALTER TABLE catalog.model_routes ADD COLUMN cost jsonb;
