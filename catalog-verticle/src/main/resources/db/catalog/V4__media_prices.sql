-- What an image (by size, and quality) or a video second (by resolution) costs, in micro-credits:
-- {"per_image_micros": {"1024x1024": 4000000, "1024x1024/hd": 8000000}, "per_second_micros": {"720P": 6000000}}.
ALTER TABLE catalog.models ADD COLUMN media_price jsonb NOT NULL DEFAULT '{}';
