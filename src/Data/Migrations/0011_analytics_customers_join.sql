-- analytics.customers: each customer's first counted order from one grouped pass over the
-- merchant's orders instead of a lookup per customer (a plan that degraded badly on fresh
-- statistics), same columns.
CREATE OR REPLACE VIEW analytics.customers AS
SELECT c.id AS customer_id, c.created_at, c.country, c.language,
       f.first_order_day,
       coalesce(r.segment, 'Unscored') AS segment
FROM customers c
LEFT JOIN (SELECT o.customer_id, min(o.created_at AT TIME ZONE 'UTC')::date AS first_order_day
           FROM orders o WHERE o.status IN ('paid', 'shipped', 'delivered') GROUP BY o.customer_id) f ON f.customer_id = c.id
LEFT JOIN insight_rfm r ON r.customer_id = c.id
WHERE c.erased_at IS NULL;
