using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace Agents.AgentHost.Commerce;

/// <summary>
/// Upserts orders by (merchant, externalId) in batches, one transaction each, with set-based
/// statements over arrays (one round trip to check, two to write). What needs the database to
/// know — an e-mail or phone held by another customer, an order number taken — is checked before
/// writing and fails only its line; anything else the database refuses makes the importer redo that
/// batch line by line under savepoints, so one bad line never costs the others. An order row is
/// updated in place (payments, events and the loyalty ledger point at it); its items are replaced.
/// Imports record history: no stock moves, no points, no messages to shoppers.
/// </summary>
public sealed partial class OrderImporter(NpgsqlDataSource dataSource, ILogger<OrderImporter> logger)
{
    public const int MaxExternalIdLength = 64;

    internal int BatchSize { get; init; } = 1000;

    internal int MaxErrors { get; init; } = 1000;

    /// <summary>Tests only: leave every conflict to the database, to exercise the line-by-line retry.</summary>
    internal bool SkipPrechecks { get; init; }

    /// <summary>
    /// An imported order is numbered with its externalId in capitals (how the shopper knows it, and
    /// how GET /api/orders/{number} looks it up). Native numbers are PREFIX-digits from the
    /// merchant's counter, which is moved past any imported number of that shape.
    /// </summary>
    public static string NumberFor(string externalId) => externalId.ToUpperInvariant();

    public static bool IsExternalId(string value) => ExternalIdPattern().IsMatch(value);

    public async Task<OrderImportResult> ImportAsync(Guid merchantId, IAsyncEnumerable<OrderImportLine> lines, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string language;
        await using (var command = dataSource.CreateCommand("SELECT default_language FROM merchants WHERE id = @m"))
        {
            command.Parameters.AddWithValue("m", merchantId);
            language = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        // One batch is written while the next is read and validated: at most two in memory.
        var tally = new Tally(MaxErrors);
        var batch = new List<OrderImportLine>(BatchSize);
        var writing = Task.CompletedTask;
        try
        {
            await foreach (var line in lines.WithCancellation(cancellationToken))
            {
                batch.Add(line);
                if (batch.Count == BatchSize)
                {
                    await writing;
                    writing = FlushAsync(merchantId, language, batch, tally, cancellationToken);
                    batch = new List<OrderImportLine>(BatchSize);
                }
            }

            await writing;
        }
        catch
        {
            // The read failed (client gone, body over the limit): the batch in flight ends before the error moves on.
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await FlushAsync(merchantId, language, batch, tally, cancellationToken);
        var result = tally.Result();
        logger.LogInformation("Order import for {Merchant}: {Received} received, {Inserted} inserted, {Updated} updated, {Failed} failed in {Elapsed:F1} s",
            merchantId, result.Received, result.Inserted, result.Updated, result.Failed, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    private async Task FlushAsync(Guid merchantId, string language, List<OrderImportLine> batch, Tally tally, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        tally.Received += batch.Count;
        var errors = batch.Where(l => l.Order is null).Select(l => new OrderImportError(l.Line, l.Error ?? "Not a valid order.")).ToList();
        var orders = batch.Where(l => l.Order is not null).Select(l => (l.Line, Order: l.Order!)).ToList();
        if (orders.Count > 0)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            Outcome outcome;
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                outcome = await ApplyAsync(connection, merchantId, language, orders, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (PostgresException e)
            {
                logger.LogWarning(e, "Order import batch of {Count} for {Merchant} refused ({SqlState} {Constraint}); retrying it line by line",
                    orders.Count, merchantId, e.SqlState, e.ConstraintName);
                outcome = await ApplyLineByLineAsync(connection, merchantId, language, orders, cancellationToken);
            }

            tally.Inserted += outcome.Inserted;
            tally.Updated += outcome.Updated;
            errors.AddRange(outcome.Errors);
        }

        // Batches follow the upload, so sorting each keeps the whole list in line order.
        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        tally.Fail(errors);
        logger.LogDebug("Order import for {Merchant}: {Received} lines done", merchantId, tally.Received);
    }

    private async Task<Outcome> ApplyLineByLineAsync(NpgsqlConnection connection, Guid merchantId, string language,
        List<(int Line, ImportedOrder Order)> orders, CancellationToken cancellationToken)
    {
        var outcome = new Outcome();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var order in orders)
        {
            await transaction.SaveAsync("line", cancellationToken);
            try
            {
                var one = await ApplyAsync(connection, merchantId, language, [order], cancellationToken);
                await transaction.ReleaseAsync("line", cancellationToken);
                outcome.Inserted += one.Inserted;
                outcome.Updated += one.Updated;
                outcome.Errors.AddRange(one.Errors);
            }
            catch (PostgresException e)
            {
                await transaction.RollbackAsync("line", cancellationToken);
                outcome.Errors.Add(new OrderImportError(order.Line, Describe(e)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Checks, then writes, the orders of one batch (in line order) inside the caller's transaction.</summary>
    private async Task<Outcome> ApplyAsync(NpgsqlConnection connection, Guid merchantId, string language,
        List<(int Line, ImportedOrder Order)> lines, CancellationToken cancellationToken)
    {
        var outcome = new Outcome();
        var rejected = new HashSet<int>();
        void Reject(int line, string error)
        {
            if (rejected.Add(line))
            {
                outcome.Errors.Add(new OrderImportError(line, error));
            }
        }

        if (!SkipPrechecks)
        {
            await CheckAgainstStoredAsync(connection, merchantId, lines, Reject, cancellationToken);
        }

        // Then within the batch, first come first served: an e-mail or phone is one customer's, a number one order's.
        var emails = new Dictionary<string, (string Customer, int Line)>(StringComparer.OrdinalIgnoreCase);
        var phones = new Dictionary<string, (string Customer, int Line)>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, (string ExternalId, int Line)>(StringComparer.Ordinal);
        foreach (var (line, order) in lines.Where(l => !rejected.Contains(l.Line)))
        {
            var customer = order.Customer;
            if (customer.Email is { } email && emails.TryGetValue(email, out var e) && e.Customer != customer.ExternalId)
            {
                Reject(line, $"customer.email '{email}' is also given for customer '{e.Customer}' on line {e.Line}; an e-mail address belongs to one customer.");
            }
            else if (customer.Phone is { } phone && phones.TryGetValue(phone, out var p) && p.Customer != customer.ExternalId)
            {
                Reject(line, $"customer.phone '{phone}' is also given for customer '{p.Customer}' on line {p.Line}; a phone number belongs to one customer.");
            }
            else if (numbers.TryGetValue(NumberFor(order.ExternalId), out var n) && n.ExternalId != order.ExternalId)
            {
                Reject(line, $"externalId '{order.ExternalId}' differs only in case from '{n.ExternalId}' on line {n.Line}: both would be order {NumberFor(order.ExternalId)}.");
            }
            else
            {
                if (customer.Email is not null)
                {
                    emails.TryAdd(customer.Email, (customer.ExternalId, line));
                }

                if (customer.Phone is not null)
                {
                    phones.TryAdd(customer.Phone, (customer.ExternalId, line));
                }

                numbers.TryAdd(NumberFor(order.ExternalId), (order.ExternalId, line));
            }
        }

        // The same externalId twice: the last line wins, and each line counts (the first as the insert).
        var accepted = lines.Where(l => !rejected.Contains(l.Line)).ToList();
        if (accepted.Count == 0)
        {
            return outcome;
        }

        var occurrences = accepted.CountBy(l => l.Order.ExternalId).ToDictionary(StringComparer.Ordinal);
        var orders = accepted.GroupBy(l => l.Order.ExternalId, StringComparer.Ordinal).Select(g => g.Last().Order)
            .OrderBy(o => o.ExternalId, StringComparer.Ordinal).ToList();
        var customers = MergeCustomers(accepted.Select(l => l.Order));

        // Customers and orders in one round trip; the order ids come back for the items in a second.
        var ids = new Dictionary<string, (Guid Id, bool Inserted)>(StringComparer.Ordinal);
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(Command(UpsertCustomersSql, merchantId,
                ("ids", customers.ConvertAll(_ => Guid.CreateVersion7()).ToArray()),
                ("externalIds", customers.ConvertAll(c => c.ExternalId).ToArray()),
                ("emails", customers.ConvertAll(c => c.Email).ToArray()),
                ("phones", customers.ConvertAll(c => c.Phone).ToArray()),
                ("names", customers.ConvertAll(c => c.Name).ToArray()),
                ("since", customers.ConvertAll(c => c.Since).ToArray())));
            batch.BatchCommands.Add(Command(UpsertOrdersSql, merchantId,
                ("ids", orders.ConvertAll(_ => Guid.CreateVersion7()).ToArray()),
                ("externalIds", orders.ConvertAll(o => o.ExternalId).ToArray()),
                ("numbers", orders.ConvertAll(o => NumberFor(o.ExternalId)).ToArray()),
                ("customers", orders.ConvertAll(o => o.Customer.ExternalId).ToArray()),
                ("statuses", orders.ConvertAll(o => o.Status).ToArray()),
                ("currencies", orders.ConvertAll(o => o.Currency).ToArray()),
                ("channels", orders.ConvertAll(o => o.Channel).ToArray()),
                ("totals", orders.ConvertAll(o => o.Total).ToArray()),
                ("createdAt", orders.ConvertAll(o => o.CreatedAt).ToArray()),
                ("eventIds", orders.ConvertAll(_ => Guid.CreateVersion7()).ToArray())));
            var nativeLooking = orders.ConvertAll(o => NumberFor(o.ExternalId)).FindAll(n => NativeNumberPattern().IsMatch(n));
            if (nativeLooking.Count > 0)
            {
                batch.BatchCommands.Add(Command(MoveCounterSql, merchantId, ("numbers", nativeLooking.ToArray())));
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[reader.GetString(1)] = (reader.GetGuid(0), reader.GetBoolean(2));
            }

            // Errors of the statements after the one that returns rows surface here.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        foreach (var (externalId, (_, inserted)) in ids)
        {
            var seen = occurrences[externalId];
            outcome.Inserted += inserted ? 1 : 0;
            outcome.Updated += inserted ? seen - 1 : seen;
        }

        await using (var batch = new NpgsqlBatch(connection))
        {
            var replaced = ids.Values.Where(v => !v.Inserted).Select(v => v.Id).ToArray();
            if (replaced.Length > 0)
            {
                batch.BatchCommands.Add(Command(DeleteItemsSql, merchantId, ("orderIds", replaced)));
            }

            var items = orders.SelectMany(o => o.Items.Select(i => (OrderId: ids[o.ExternalId].Id, Item: i))).ToList();
            batch.BatchCommands.Add(Command(InsertItemsSql, merchantId,
                ("ids", items.ConvertAll(_ => Guid.CreateVersion7()).ToArray()),
                ("orderIds", items.ConvertAll(i => i.OrderId).ToArray()),
                ("skus", items.ConvertAll(i => i.Item.Sku).ToArray()),
                ("names", items.ConvertAll(i => i.Item.Name).ToArray()),
                ("categories", items.ConvertAll(i => i.Item.Category).ToArray()),
                ("quantities", items.ConvertAll(i => i.Item.Quantity).ToArray()),
                ("prices", items.ConvertAll(i => i.Item.UnitPrice).ToArray()),
                ("language", language)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        return outcome;
    }

    /// <summary>E-mails and phones held by another customer, and numbers taken by another order, fail their lines.</summary>
    private static async Task CheckAgainstStoredAsync(NpgsqlConnection connection, Guid merchantId, List<(int Line, ImportedOrder Order)> lines,
        Action<int, string> reject, CancellationToken cancellationToken)
    {
        var emails = lines.Where(l => l.Order.Customer.Email is not null).Select(l => (l.Order.Customer.ExternalId, Email: l.Order.Customer.Email!.ToLowerInvariant())).Distinct().ToList();
        var phones = lines.Where(l => l.Order.Customer.Phone is not null).Select(l => (l.Order.Customer.ExternalId, Phone: l.Order.Customer.Phone!)).Distinct().ToList();
        var numbers = lines.Select(l => (l.Order.ExternalId, Number: NumberFor(l.Order.ExternalId))).Distinct().ToList();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(EmailConflictsSql, merchantId,
            ("customers", emails.ConvertAll(e => e.ExternalId).ToArray()), ("values", emails.ConvertAll(e => e.Email).ToArray())));
        batch.BatchCommands.Add(Command(PhoneConflictsSql, merchantId,
            ("customers", phones.ConvertAll(p => p.ExternalId).ToArray()), ("values", phones.ConvertAll(p => p.Phone).ToArray())));
        batch.BatchCommands.Add(Command(NumberConflictsSql, merchantId,
            ("externalIds", numbers.ConvertAll(n => n.ExternalId).ToArray()), ("numbers", numbers.ConvertAll(n => n.Number).ToArray())));

        // Each row names the holder: null when free, '' when the holder has no externalId.
        var emailTaken = new Dictionary<(string, string), string>();
        var phoneTaken = new Dictionary<(string, string), string>();
        var numberTaken = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            foreach (var taken in new[] { emailTaken, phoneTaken })
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (!reader.IsDBNull(2))
                    {
                        taken[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
                    }
                }

                await reader.NextResultAsync(cancellationToken);
            }

            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(1))
                {
                    numberTaken[reader.GetString(0)] = reader.GetString(1);
                }
            }
        }

        static string Holder(string externalId) => externalId.Length == 0 ? "" : $" (externalId '{externalId}')";
        foreach (var (line, order) in lines)
        {
            var customer = order.Customer;
            if (customer.Email is { } email && emailTaken.TryGetValue((customer.ExternalId, email.ToLowerInvariant()), out var byEmail))
            {
                reject(line, $"customer.email '{email}' already belongs to another customer of this shop{Holder(byEmail)}.");
            }
            else if (customer.Phone is { } phone && phoneTaken.TryGetValue((customer.ExternalId, phone), out var byPhone))
            {
                reject(line, $"customer.phone '{phone}' already belongs to another customer of this shop{Holder(byPhone)}.");
            }
            else if (numberTaken.TryGetValue(order.ExternalId, out var byNumber))
            {
                reject(line, $"Order number {NumberFor(order.ExternalId)} (the externalId in capitals) is already taken by " +
                    (byNumber.Length == 0 ? "an order placed in this shop." : $"the order with externalId '{byNumber}'."));
            }
        }
    }

    /// <summary>One row per customer: the last e-mail, phone and name given win; customer since the earliest order.</summary>
    private static List<MergedCustomer> MergeCustomers(IEnumerable<ImportedOrder> orders)
    {
        var merged = new Dictionary<string, MergedCustomer>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            var c = order.Customer;
            merged[c.ExternalId] = merged.TryGetValue(c.ExternalId, out var m)
                ? new MergedCustomer(c.ExternalId, c.Email ?? m.Email, c.Phone ?? m.Phone, c.Name ?? m.Name, order.CreatedAt < m.Since ? order.CreatedAt : m.Since)
                : new MergedCustomer(c.ExternalId, c.Email, c.Phone, c.Name, order.CreatedAt);
        }

        return [.. merged.Values.OrderBy(c => c.ExternalId, StringComparer.Ordinal)];
    }

    private static string Describe(PostgresException e) => e.ConstraintName switch
    {
        "ux_customers_email" => "customer.email already belongs to another customer of this shop.",
        "ux_customers_phone" => "customer.phone already belongs to another customer of this shop.",
        "orders_merchant_id_number_key" => "The order number (the externalId in capitals) is already taken by another order of this shop.",
        { } constraint => $"Not stored: the database refused it ({constraint}).",
        null => $"Not stored: the database refused it (SQLSTATE {e.SqlState}).",
    };

    private static NpgsqlBatchCommand Command(string sql, Guid merchantId, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("m", merchantId);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private sealed record MergedCustomer(string ExternalId, string? Email, string? Phone, string? Name, DateTimeOffset Since);

    private sealed class Outcome
    {
        public int Inserted { get; set; }
        public int Updated { get; set; }
        public List<OrderImportError> Errors { get; } = [];
    }

    private sealed class Tally(int maxErrors)
    {
        private readonly List<OrderImportError> _errors = [];

        public int Received { get; set; }
        public int Inserted { get; set; }
        public int Updated { get; set; }
        public int Failed { get; private set; }

        public void Fail(List<OrderImportError> errors)
        {
            Failed += errors.Count;
            _errors.AddRange(errors.Take(maxErrors - _errors.Count));
        }

        public OrderImportResult Result() => new(Received, Inserted, Updated, Failed, _errors, Failed > _errors.Count);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ExternalIdPattern();

    /// <summary>The shape OrderService's counter scans for (PREFIX-digits, at most 22 characters).</summary>
    [GeneratedRegex(@"^[A-Z]+-[0-9]{1,18}$")]
    private static partial Regex NativeNumberPattern();
}
