namespace Agents.AgentHost.Commerce;

/// <summary>The importer's statements. Every one names the merchant; arrays carry the batch.</summary>
public sealed partial class OrderImporter
{
    // Every lookup below is a scalar subquery: one index probe per row of the batch, whatever the
    // size of the shop's tables (a join would let the planner scan them all once they are small).
    private const string EmailConflictsSql = """
        SELECT s.customer, s.value,
               (SELECT coalesce(c.external_id, '') FROM customers c
                WHERE c.merchant_id = @m AND lower(c.email) = s.value AND c.external_id IS DISTINCT FROM s.customer LIMIT 1)
        FROM unnest(@customers::text[], @values::text[]) AS s(customer, value)
        """;

    private const string PhoneConflictsSql = """
        SELECT s.customer, s.value,
               (SELECT coalesce(c.external_id, '') FROM customers c
                WHERE c.merchant_id = @m AND c.phone = s.value AND c.external_id IS DISTINCT FROM s.customer LIMIT 1)
        FROM unnest(@customers::text[], @values::text[]) AS s(customer, value)
        """;

    private const string NumberConflictsSql = """
        SELECT s.external_id,
               (SELECT coalesce(o.external_id, '') FROM orders o
                WHERE o.merchant_id = @m AND o.number = s.number AND o.external_id IS DISTINCT FROM s.external_id)
        FROM unnest(@externalIds::text[], @numbers::text[]) AS s(external_id, number)
        """;

    // A customer's created_at never follows their first order: analytics count sign-ups from it.
    private const string UpsertCustomersSql = """
        INSERT INTO customers AS c (id, merchant_id, external_id, email, phone, name, created_at)
        SELECT s.id, @m, s.external_id, s.email, s.phone, s.name, s.since
        FROM unnest(@ids::uuid[], @externalIds::text[], @emails::text[], @phones::text[], @names::text[], @since::timestamptz[])
            AS s(id, external_id, email, phone, name, since)
        ON CONFLICT (merchant_id, external_id) WHERE external_id IS NOT NULL DO UPDATE SET
            email = coalesce(excluded.email, c.email),
            phone = coalesce(excluded.phone, c.phone),
            name = coalesce(excluded.name, c.name),
            created_at = least(c.created_at, excluded.created_at)
        WHERE (c.email, c.phone, c.name, c.created_at) IS DISTINCT FROM
              (coalesce(excluded.email, c.email), coalesce(excluded.phone, c.phone), coalesce(excluded.name, c.name), least(c.created_at, excluded.created_at))
        """;

    // The order row is updated in place, never replaced; a status it did not have before is an event.
    private const string UpsertOrdersSql = """
        WITH s AS (
            SELECT * FROM unnest(@ids::uuid[], @externalIds::text[], @numbers::text[], @customers::text[], @statuses::text[],
                                 @currencies::text[], @channels::text[], @totals::numeric[], @createdAt::timestamptz[], @eventIds::uuid[])
                AS s(id, external_id, number, customer, status, currency, channel, total, created_at, event_id)
        ), before AS (
            SELECT s.external_id, (SELECT o.status FROM orders o WHERE o.merchant_id = @m AND o.external_id = s.external_id) AS status FROM s
        ), up AS (
            INSERT INTO orders AS o (id, merchant_id, number, external_id, customer_id, status, currency, channel, subtotal, total, created_at, updated_at, paid_at)
            SELECT s.id, @m, s.number, s.external_id,
                   (SELECT c.id FROM customers c WHERE c.merchant_id = @m AND c.external_id = s.customer),
                   s.status, s.currency, s.channel, s.total, s.total, s.created_at, now(),
                   CASE WHEN s.status IN ('paid', 'shipped', 'delivered', 'refunded') THEN s.created_at END
            FROM s
            ON CONFLICT (merchant_id, external_id) WHERE external_id IS NOT NULL DO UPDATE SET
                customer_id = excluded.customer_id, status = excluded.status, currency = excluded.currency, channel = excluded.channel,
                subtotal = excluded.subtotal, total = excluded.total, created_at = excluded.created_at, updated_at = now(),
                paid_at = coalesce(o.paid_at, excluded.paid_at)
            RETURNING o.id, o.external_id, o.status, (o.xmax = 0) AS inserted
        ), events AS (
            INSERT INTO order_events (id, merchant_id, order_id, from_status, to_status, source, created_at)
            SELECT s.event_id, @m, up.id, b.status, up.status, 'import', CASE WHEN b.status IS NULL THEN s.created_at ELSE now() END
            FROM up JOIN s ON s.external_id = up.external_id JOIN before b ON b.external_id = up.external_id
            WHERE b.status IS DISTINCT FROM up.status
        )
        SELECT id, external_id, inserted FROM up
        """;

    // By order id, the index that stays selective; the merchant check is a filter (IS NOT DISTINCT FROM
    // is not indexable), so stale statistics on a freshly imported shop cannot make the planner walk
    // all of its items by merchant_id instead.
    private const string DeleteItemsSql = """
        DELETE FROM order_items WHERE order_id = ANY(@orderIds::uuid[]) AND merchant_id IS NOT DISTINCT FROM @m
        """;

    // Linked to the catalogue product of the same sku (one probe per item: LIMIT keeps the lateral
    // subquery a nested loop); name and category fall back to the product's.
    private const string InsertItemsSql = """
        INSERT INTO order_items (id, merchant_id, order_id, product_id, sku, name, category, quantity, unit_price)
        SELECT s.id, @m, s.order_id, p.id, s.sku, coalesce(s.name, p.name, s.sku), coalesce(s.category, p.category), s.quantity, s.unit_price
        FROM unnest(@ids::uuid[], @orderIds::uuid[], @skus::text[], @names::text[], @categories::text[], @quantities::int[], @prices::numeric[])
            AS s(id, order_id, sku, name, category, quantity, unit_price)
        LEFT JOIN LATERAL (
            SELECT p.id, p.category,
                   (SELECT t.name FROM product_translations t WHERE t.product_id = p.id AND t.merchant_id = @m AND t.language = @language) AS name
            FROM products p WHERE p.merchant_id = @m AND p.sku = s.sku LIMIT 1
        ) p ON true
        """;

    // Native orders continue after imported numbers of their shape, as OrderService's first scan does.
    private const string MoveCounterSql = """
        UPDATE order_counters SET last_number = x.top
        FROM (SELECT max(substring(n FROM '-([0-9]+)$')::bigint) AS top FROM unnest(@numbers::text[]) AS n) x
        WHERE merchant_id = @m AND x.top > last_number
        """;
}
