using Agents.Analytics.Guard;

namespace Agents.Analytics.Tests.Guard;

public sealed class SqlGuardTests
{
    [Theory]
    [InlineData("SELECT sum(total) FROM analytics.orders WHERE counted")]
    [InlineData("select channel, count(*) from orders where counted group by channel order by 2 desc;")]
    [InlineData("WITH m AS (SELECT date_trunc('month', created_at) AS month, sum(total) AS revenue FROM analytics.orders WHERE counted GROUP BY 1) SELECT * FROM m ORDER BY month")]
    [InlineData("SELECT extract(dow FROM day) AS weekday, avg(total) FROM analytics.orders GROUP BY 1")]
    [InlineData("SELECT c.segment, count(*) FROM analytics.customers c JOIN analytics.orders o ON o.customer_id = c.customer_id GROUP BY 1")]
    [InlineData("SELECT d::date, 0 FROM generate_series('2026-01-01'::date, '2026-01-31'::date, interval '1 day') AS d")]
    [InlineData("SELECT product_name FROM order_items WHERE product_name = 'Pesto; DROP TABLE orders'")]
    public void Allows_OneSelectOverTheAnalyticsViews(string sql)
    {
        var verdict = SqlGuard.Check(sql);

        Assert.True(verdict.Allowed, verdict.Problem);
        Assert.False(verdict.Sql.EndsWith(';'));
    }

    [Theory]
    [InlineData("DROP TABLE orders", "Only a SELECT")]
    [InlineData("SELECT 1; DROP TABLE orders", "one statement")]
    [InlineData("SELECT 1; SELECT 2", "one statement")]
    [InlineData("DELETE FROM orders", "Only a SELECT")]
    [InlineData("WITH x AS (DELETE FROM orders RETURNING *) SELECT * FROM x", "'DELETE'")]
    [InlineData("SELECT * INTO stolen FROM analytics.orders", "'INTO'")]
    [InlineData("SELECT * FROM public.orders", "public.orders")]
    [InlineData("SELECT * FROM orders o JOIN api_keys k ON true", "'api_keys'")]
    [InlineData("SELECT * FROM pg_catalog.pg_roles", "pg_catalog.pg_roles")]
    [InlineData("SELECT * FROM information_schema.tables", "information_schema.tables")]
    [InlineData("SELECT set_config('agents.merchant_id', '00000000-0000-0000-0000-000000000000', true)", "set_config")]
    [InlineData("SELECT current_setting('agents.merchant_id')", "current_setting")]
    [InlineData("SELECT pg_sleep(60)", "pg_sleep")]
    [InlineData("SELECT pg_read_file('/etc/passwd')", "pg_read_file")]
    [InlineData("SELECT * FROM analytics.orders -- everything", "Comments")]
    [InlineData("SELECT /* x */ 1", "Comments")]
    [InlineData("SELECT $$x$$", "Dollar")]
    [InlineData("SELECT E'\\x41'", "Prefixed")]
    [InlineData("SELECT * FROM analytics.orders FOR UPDATE", "'FOR'")]
    [InlineData("SELECT 'unterminated", "not closed")]
    [InlineData("SET ROLE agents", "Only a SELECT")]
    [InlineData("", "empty")]
    [InlineData("SELECT 'x'::regclass", "regclass")]
    public void Rejects_WithTheReason(string sql, string reason)
    {
        var verdict = SqlGuard.Check(sql);

        Assert.False(verdict.Allowed);
        Assert.Contains(reason, verdict.Problem, StringComparison.OrdinalIgnoreCase);
    }
}
