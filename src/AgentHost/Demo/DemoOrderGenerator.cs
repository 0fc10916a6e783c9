using Bogus;

namespace Agents.AgentHost.Demo;

/// <summary>
/// Two years of synthetic orders for the demo shop with structure the analytics models can be
/// checked against: growth, a weekly cycle (weekends busier), a yearly cycle (Christmas peak,
/// August dip, Black Friday), three injected anomalies on known days, and a cohort of customers
/// who stop buying (the churn signal). Same seed and end date → the same rows, byte for byte.
/// </summary>
public sealed class DemoOrderGenerator(DateOnly endDate, int seed = 20260101)
{
    /// <summary>Bump when the generated history changes, so existing demo databases are re-checked.</summary>
    public const string Version = "1";
    public const int Days = 730;
    public const int CustomerCount = 400;

    public sealed record ProductRef(Guid Id, string Sku, string Name, string Category, decimal Price);
    public sealed record Anomaly(DateOnly Date, double Factor, string Description);
    public sealed record CustomerRow(Guid Id, string ExternalId, string Phone, string Email, string Name, string Language, string Country,
        DateTimeOffset CreatedAt, bool Churner, DateOnly? ChurnedOn);
    public sealed record ItemRow(Guid Id, Guid ProductId, string Sku, string Name, string Category, int Quantity, decimal UnitPrice);
    public sealed record OrderRow(Guid Id, string Number, Guid CustomerId, string Status, string Channel, decimal Subtotal, decimal Total,
        DateTimeOffset CreatedAt, IReadOnlyList<ItemRow> Items);
    public sealed record Dataset(IReadOnlyList<CustomerRow> Customers, IReadOnlyList<OrderRow> Orders, IReadOnlyList<Anomaly> Anomalies);

    public DateOnly FirstDay => endDate.AddDays(-Days);

    /// <summary>Ground truth for anomaly detection: days whose volume was multiplied on purpose.</summary>
    public IReadOnlyList<Anomaly> Anomalies =>
    [
        new(endDate.AddDays(-300), 4.0, "TV feature: orders ×4"),
        new(endDate.AddDays(-180), 0.05, "payment outage: orders ×0.05"),
        new(endDate.AddDays(-179), 0.05, "payment outage: orders ×0.05"),
        new(endDate.AddDays(-45), 3.0, "influencer post: orders ×3"),
    ];

    public Dataset Generate(IReadOnlyList<ProductRef> products)
    {
        var random = new Random(seed);
        var customers = GenerateCustomers(random);
        var rates = customers.Select(_ => Math.Exp(Normal(random) * 0.8)).ToArray();
        var popularity = products.Select(p => Math.Exp(Normal(random) * 0.7) * (p.Price < 15 ? 2.0 : 1.0)).ToArray();
        var anomalies = Anomalies.ToDictionary(a => a.Date, a => a.Factor);

        var orders = new List<OrderRow>();
        var weights = new double[customers.Count];
        for (var day = 0; day < Days; day++)
        {
            var date = FirstDay.AddDays(day);
            var expected = 16.0 * (1 + 0.3 * day / Days) * Weekly(date.DayOfWeek) * Yearly(date) * anomalies.GetValueOrDefault(date, 1.0);
            var count = Poisson(random, expected);

            var total = 0.0;
            for (var c = 0; c < customers.Count; c++)
            {
                var customer = customers[c];
                var active = DateOnly.FromDateTime(customer.CreatedAt.UtcDateTime) <= date && (customer.ChurnedOn is not { } gone || date < gone);
                weights[c] = active ? rates[c] : 0;
                total += weights[c];
            }

            for (var i = 0; i < count && total > 0; i++)
            {
                var customer = customers[Pick(random, weights, total)];
                var at = new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero).AddMinutes(random.Next(0, 14 * 60));
                if (at < customer.CreatedAt)
                {
                    at = customer.CreatedAt.AddMinutes(5); // a customer's first order never precedes their sign-up
                }
                var orderId = DeterministicGuid(random, at);
                var items = new List<ItemRow>();
                var lines = Pick(random, [45, 30, 17, 8]) + 1;
                for (var line = 0; line < lines; line++)
                {
                    var product = products[PickProduct(random, products, popularity, date)];
                    if (items.Any(x => x.Sku == product.Sku))
                    {
                        continue;
                    }

                    var quantity = Pick(random, [70, 22, 8]) + 1;
                    items.Add(new ItemRow(DeterministicGuid(random, at), product.Id, product.Sku, product.Name, product.Category, quantity, product.Price));
                }

                var subtotal = items.Sum(x => x.UnitPrice * x.Quantity);
                var shipping = subtotal >= 59m ? 0m : 7.90m; // the shipping policy's free-shipping threshold
                var channelRoll = random.NextDouble();
                var whatsappShare = 0.15 + 0.25 * day / Days;
                var channel = channelRoll < whatsappShare ? "whatsapp" : channelRoll < whatsappShare + 0.12 ? "api" : "web";
                orders.Add(new OrderRow(orderId, "", customer.Id, Status(random, Days - day), channel, subtotal, subtotal + shipping, at, items));
            }
        }

        orders.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        var numbered = orders.Select((o, i) => o with { Number = $"SDS-{100001 + i}" }).ToList();
        return new Dataset(customers, numbered, Anomalies);
    }

    private List<CustomerRow> GenerateCustomers(Random random)
    {
        var fakers = new Dictionary<string, Faker>
        {
            ["it"] = new("it") { Random = new Randomizer(seed + 1) },
            ["en"] = new("en_GB") { Random = new Randomizer(seed + 2) },
            ["es"] = new("es") { Random = new Randomizer(seed + 3) },
        };
        var customers = new List<CustomerRow>(CustomerCount);
        for (var i = 0; i < CustomerCount; i++)
        {
            var roll = random.NextDouble();
            var language = roll < 0.55 ? "it" : roll < 0.8 ? "es" : "en";
            var faker = fakers[language];
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var (country, phone) = language switch
            {
                "it" => (random.NextDouble() < 0.92 ? "IT" : "CH", $"+393{random.Next(10, 99)}{random.Next(1000000, 9999999)}"),
                "es" => ("ES", $"+346{random.Next(10, 99)}{random.Next(100000, 999999)}"),
                _ => (random.NextDouble() < 0.7 ? "GB" : "IE", $"+447{random.Next(100, 999)}{random.Next(100000, 999999)}"),
            };
            // Sign-ups lean early so there is history; late joiners make "new customers" visible.
            var signupDay = (int)(Math.Pow(random.NextDouble(), 1.6) * (Days - 30));
            var created = new DateTimeOffset(FirstDay.AddDays(signupDay).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero).AddMinutes(random.Next(0, 600));
            var churner = signupDay < 400 && random.NextDouble() < 0.22;
            DateOnly? churnedOn = churner ? FirstDay.AddDays(random.Next(450, 640)) : null;
            var email = $"{Ascii(first)}.{Ascii(last)}{i:000}@{(language == "it" ? "esempio.it" : language == "es" ? "ejemplo.es" : "example.co.uk")}";
            customers.Add(new CustomerRow(DeterministicGuid(random, created), $"demo-{i + 1:0000}", phone, email, $"{first} {last}", language,
                country, created, churner, churnedOn));
        }

        return customers;
    }

    private static double Weekly(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => 0.85,
        DayOfWeek.Tuesday => 0.9,
        DayOfWeek.Wednesday => 0.95,
        DayOfWeek.Thursday => 1.0,
        DayOfWeek.Friday => 1.1,
        DayOfWeek.Saturday => 1.25,
        _ => 1.3,
    };

    private static double Yearly(DateOnly date)
    {
        var factor = date.Month switch { 8 => 0.6, 7 => 0.85, 1 => 0.8, 12 => 1.0, _ => 1.0 };
        if (date.Month == 12 && date.Day <= 23)
        {
            factor *= 1.0 + 1.4 * Math.Exp(-Math.Pow((date.Day - 16) / 5.0, 2)); // Christmas gifting peak
        }

        var blackFriday = BlackFriday(date.Year);
        if (date >= blackFriday && date <= blackFriday.AddDays(3))
        {
            factor *= 2.2;
        }

        return factor;
    }

    public static DateOnly BlackFriday(int year)
    {
        var day = new DateOnly(year, 11, 30);
        while (day.DayOfWeek != DayOfWeek.Friday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    private static string Status(Random random, int ageDays) => ageDays switch
    {
        > 10 => random.NextDouble() switch { < 0.03 => "refunded", < 0.07 => "cancelled", _ => "delivered" },
        > 3 => "shipped",
        _ => random.NextDouble() < 0.8 ? "paid" : "pending_payment",
    };

    private static int PickProduct(Random random, IReadOnlyList<ProductRef> products, double[] popularity, DateOnly date)
    {
        // Blood oranges and other citrus only sell in season (December to April).
        var inSeason = date.Month is 12 or <= 4;
        var weights = products.Select((p, i) => p.Category == "citrus" && !inSeason ? 0 : popularity[i]).ToArray();
        return Pick(random, weights, weights.Sum());
    }

    private static int Pick(Random random, double[] weights, double total)
    {
        var x = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return Array.FindLastIndex(weights, w => w > 0);
    }

    private static int Pick(Random random, int[] weights) => Pick(random, weights.Select(w => (double)w).ToArray(), weights.Sum());

    private static int Poisson(Random random, double lambda)
    {
        if (lambda > 30)
        {
            return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Normal(random)));
        }

        var limit = Math.Exp(-lambda);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A UUIDv7 whose random bits come from the seeded generator, so ids repeat across runs.</summary>
    private static Guid DeterministicGuid(Random random, DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    private static string Ascii(string name)
    {
        var normalized = name.Normalize(System.Text.NormalizationForm.FormD);
        return new string(normalized.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray());
    }
}
