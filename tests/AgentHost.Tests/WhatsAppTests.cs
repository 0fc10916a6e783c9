using System.Net;
using System.Net.Http.Json;
using Agents.AgentHost.WhatsApp;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agents.AgentHost.Tests;

/// <summary>The host behind a proxy (public URL differs from the one the test calls), sending through a Twilio stand-in.</summary>
public class WhatsAppFactory : AgentsApiFactory
{
    public const string PublicBaseUrl = "https://assistant.shop.example";

    public TwilioStandIn Twilio { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Channels:PublicBaseUrl"] = PublicBaseUrl,
        ["Channels:Twilio:ApiBaseUrl"] = Twilio.BaseUrl,
    };

    public override async ValueTask InitializeAsync()
    {
        Twilio = await TwilioStandIn.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Twilio.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>WhatsApp as Twilio and shoppers meet it: signed webhooks, retries, opt-out, the outbox, status callbacks, the 24-hour window.</summary>
public sealed class WhatsAppTests(WhatsAppFactory factory) : IClassFixture<WhatsAppFactory>
{
    private const string Token = "f3c1d2b4a5968778695a4b3c2d1e0f99";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Shop(string Key, string AccountSid, string From, HttpClient Client);

    [Fact]
    public async Task Inbound_SignedForThePublicUrl_RepliesThroughTheOutboxFromTheShopsNumber()
    {
        var shop = await ShopAsync();
        var customer = Phone();

        var response = await PostSignedAsync(shop, customer, "Ciao! Che cosa vendete?");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<Response></Response>", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var sent = Assert.Single(await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer));
        Assert.Equal((shop.AccountSid, shop.From), (sent.AccountSid, sent["From"]));
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{shop.AccountSid}:{Token}")), sent.Authorization);
        Assert.False(string.IsNullOrWhiteSpace(sent["Body"]));
        Assert.StartsWith($"{WhatsAppFactory.PublicBaseUrl}/channels/twilio/status?outbox=", sent["StatusCallback"], StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM customers WHERE phone = '{customer}'"));
        Assert.Equal("whatsapp", await ScalarAsync<string>($"SELECT channel FROM conversations WHERE session_id = 'wa:{customer}'"));
    }

    [Fact]
    public async Task Inbound_WrongOrMissingSignature_Is403AndStoresNothing()
    {
        var shop = await ShopAsync();
        var customer = Phone();
        var form = Form(shop, customer, "hello", "SM" + Guid.NewGuid().ToString("N"));

        var unsigned = await factory.CreateClient().PostAsync(WhatsAppApi.InboundPath, new FormUrlEncodedContent(form), Ct);
        var request = new HttpRequestMessage(HttpMethod.Post, WhatsAppApi.InboundPath) { Content = new FormUrlEncodedContent(form) };
        // Signed for the URL the proxy forwarded to, not the public one Twilio called.
        request.Headers.Add("X-Twilio-Signature", TwilioStandIn.Sign(Token, "http://localhost" + WhatsAppApi.InboundPath, form));
        var wrongUrl = await factory.CreateClient().SendAsync(request, Ct);
        var tampered = await PostAsync(form.Append(new("Body", "tampered")).GroupBy(p => p.Key).Select(g => g.Last()).ToList(),
            TwilioStandIn.Sign(Token, WhatsAppFactory.PublicBaseUrl + WhatsAppApi.InboundPath, form));

        await unsigned.AssertProblemAsync(HttpStatusCode.Forbidden);
        await wrongUrl.AssertProblemAsync(HttpStatusCode.Forbidden);
        await tampered.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM inbound_messages WHERE from_address = 'whatsapp:{customer}'"));
    }

    [Fact]
    public async Task Inbound_TwilioRetriesTheSameMessageSid_OneTurnAndOneReply()
    {
        var shop = await ShopAsync();
        var customer = Phone();
        var sid = "SM" + Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostSignedAsync(shop, customer, "Ciao!", sid)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer));
        await Task.Delay(500, Ct);
        Assert.Single(factory.Twilio.Accepted, r => r["To"] == "whatsapp:" + customer);
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.session_id = 'wa:{customer}' AND m.role = 'user'"));
    }

    [Fact]
    public async Task Inbound_ToANumberNoMerchantHas_IsStoredForReview()
    {
        var shop = await ShopAsync();
        var form = Form(shop, Phone(), "hello?", "SM" + Guid.NewGuid().ToString("N"));
        form[form.FindIndex(p => p.Key == "To")] = new("To", "whatsapp:+15005550006");

        var response = await PostAsync(form, TwilioStandIn.Sign(Token, WhatsAppFactory.PublicBaseUrl + WhatsAppApi.InboundPath, form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unrouted", await ScalarAsync<string>($"SELECT status FROM inbound_messages WHERE provider_id = '{form.First(p => p.Key == "MessageSid").Value}' AND merchant_id IS NULL"));
    }

    [Fact]
    public async Task StopAndStart_OptOutSilencesTheAssistantUntilTheCustomerComesBack()
    {
        var shop = await ShopAsync();
        var customer = Phone();

        await PostSignedAsync(shop, customer, "STOP");
        var confirmation = Assert.Single(await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer));
        Assert.True(await ScalarAsync<bool>($"SELECT opted_out FROM customers WHERE phone = '{customer}'"));
        Assert.NotNull(await ScalarAsync<DateTime?>($"SELECT opted_out_at FROM customers WHERE phone = '{customer}'"));
        await PostSignedAsync(shop, customer, "Avete la crema di pistacchio?");
        await WaitUntilAsync($"SELECT count(*) = 0 FROM inbound_messages WHERE from_address = 'whatsapp:{customer}' AND status <> 'done'");
        Assert.Single(factory.Twilio.Accepted, r => r["To"] == "whatsapp:" + customer);

        await PostSignedAsync(shop, customer, "start");

        Assert.Equal(2, (await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer, count: 2)).Count);
        Assert.False(await ScalarAsync<bool>($"SELECT opted_out FROM customers WHERE phone = '{customer}'"));
        Assert.NotEqual(confirmation["Body"], factory.Twilio.Accepted.Last(r => r["To"] == "whatsapp:" + customer)["Body"]);
    }

    [Fact]
    public async Task InboundMedia_IsRecordedAndAcknowledgedInTheCustomersLanguage()
    {
        var shop = await ShopAsync();
        var customer = Phone();
        var form = Form(shop, customer, "", "MM" + Guid.NewGuid().ToString("N"));
        form.RemoveAll(p => p.Key == "NumMedia");
        form.AddRange([new("NumMedia", "1"), new("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z"), new("MediaContentType0", "image/jpeg")]);
        await ScalarAsync<int>($"INSERT INTO customers (id, merchant_id, phone, language) SELECT gen_random_uuid(), merchant_id, '{customer}', 'es' FROM channel_accounts WHERE account_sid = '{shop.AccountSid}' RETURNING 1");

        await PostAsync(form, TwilioStandIn.Sign(Token, WhatsAppFactory.PublicBaseUrl + WhatsAppApi.InboundPath, form));

        var ack = Assert.Single(await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer));
        Assert.Contains("Gracias", ack["Body"], StringComparison.Ordinal);
        Assert.Equal("image/jpeg", await ScalarAsync<string>($"SELECT media->0->>'contentType' FROM inbound_messages WHERE from_address = 'whatsapp:{customer}'"));
    }

    [Fact]
    public async Task Outbox_TwilioFailsTwice_RetriesWithBackoffAndDeliversOnce()
    {
        var shop = await ShopAsync();
        var customer = Phone();
        factory.Twilio.FailNext(500, 429);

        await PostSignedAsync(shop, customer, "Grazie mille!");

        var delivered = await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer, timeoutSeconds: 30);
        Assert.Single(delivered);
        Assert.Equal((3, "sent"), (await ScalarAsync<int>($"SELECT attempts FROM outbox_messages WHERE to_address = 'whatsapp:{customer}'"),
            await ScalarAsync<string>($"SELECT status FROM outbox_messages WHERE to_address = 'whatsapp:{customer}'")));
    }

    [Fact]
    public async Task Outbox_AHostDiedMidSend_ResendsOnlyWhatTwilioNeverAcknowledged()
    {
        var shop = await ShopAsync();
        var (lost, acknowledged) = (Phone(), Phone());
        foreach (var (phone, providerId) in new[] { (lost, (string?)null), (acknowledged, "SM" + Guid.NewGuid().ToString("N")) })
        {
            // What a host leaves behind when it dies between claiming a row and recording Twilio's answer.
            await ScalarAsync<int>($"""
                WITH c AS (INSERT INTO customers (id, merchant_id, phone, last_inbound_at)
                           SELECT gen_random_uuid(), merchant_id, '{phone}', now() FROM channel_accounts WHERE account_sid = '{shop.AccountSid}' RETURNING id, merchant_id)
                INSERT INTO outbox_messages (id, merchant_id, channel, customer_id, to_address, kind, body, idempotency_key, status, attempts, locked_until, provider_id)
                SELECT gen_random_uuid(), merchant_id, 'whatsapp', id, 'whatsapp:{phone}', 'reply', 'Il tuo ordine è partito', 'crash-{phone}', 'sending', 1,
                       now() - interval '1 second', {(providerId is null ? "NULL" : $"'{providerId}'")} FROM c RETURNING 1
                """);
        }

        Assert.Single(await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + lost));
        await Task.Delay(1500, Ct);
        Assert.DoesNotContain(factory.Twilio.Accepted, r => r["To"] == "whatsapp:" + acknowledged);
    }

    [Fact]
    public async Task StatusCallbacks_OnlyMoveForwardAndMustBeSigned()
    {
        var shop = await ShopAsync();
        var customer = Phone();
        await PostSignedAsync(shop, customer, "Ciao!");
        await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer);
        await WaitUntilAsync($"SELECT status = 'sent' FROM outbox_messages WHERE to_address = 'whatsapp:{customer}'");
        var (id, sid) = (await ScalarAsync<Guid>($"SELECT id FROM outbox_messages WHERE to_address = 'whatsapp:{customer}'"),
            await ScalarAsync<string>($"SELECT provider_id FROM outbox_messages WHERE to_address = 'whatsapp:{customer}'"));

        foreach (var status in new[] { "delivered", "sent", "read", "queued" })
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("AccountSid", shop.AccountSid), new("From", shop.From), new("To", "whatsapp:" + customer), new("MessageSid", sid), new("MessageStatus", status),
            };
            var url = $"{WhatsAppFactory.PublicBaseUrl}{WhatsAppApi.StatusPath}?outbox={id}";
            Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(form, TwilioStandIn.Sign(Token, url, form), $"{WhatsAppApi.StatusPath}?outbox={id}")).StatusCode);
        }

        var forged = new List<KeyValuePair<string, string>> { new("AccountSid", shop.AccountSid), new("From", shop.From), new("MessageSid", sid), new("MessageStatus", "failed") };
        await (await PostAsync(forged, "bm90IGEgc2lnbmF0dXJl", WhatsAppApi.StatusPath)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("read", await ScalarAsync<string>($"SELECT provider_status FROM outbox_messages WHERE id = '{id}'"));
    }

    [Fact]
    public async Task Notification_OutsideThe24HourWindow_UsesTheApprovedTemplateOrIsNotSent()
    {
        var withTemplate = await ShopAsync(new Dictionary<string, string> { ["order_status"] = "HX" + new string('a', 32) });
        var without = await ShopAsync();
        foreach (var shop in new[] { withTemplate, without })
        {
            var customer = Phone();
            await PostSignedAsync(shop, customer, "Ciao!");
            await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer);
            await ScalarAsync<int>($"UPDATE customers SET last_inbound_at = now() - interval '25 hours' WHERE phone = '{customer}' RETURNING 1");
            await ScalarAsync<int>($$"""
                INSERT INTO outbox_messages (id, merchant_id, channel, customer_id, conversation_id, to_address, kind, body, template, template_variables, idempotency_key)
                SELECT gen_random_uuid(), c.merchant_id, 'whatsapp', c.id, v.id, 'whatsapp:{{customer}}', 'notification', 'Il tuo ordine è stato spedito', 'order_status',
                       '{"1":"SDS-1","2":"spedito"}', 'shipped-{{customer}}'
                FROM customers c JOIN conversations v ON v.customer_id = c.id WHERE c.phone = '{{customer}}' RETURNING 1
                """);
            factory.Services.GetRequiredService<WhatsAppSignals>().OutboxChanged();

            if (shop == withTemplate)
            {
                var sent = (await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer, count: 2))[1];
                var variables = System.Text.Json.JsonDocument.Parse(sent["ContentVariables"]!).RootElement;
                Assert.Equal(("HX" + new string('a', 32), "SDS-1", "spedito", null), (sent["ContentSid"], variables.GetProperty("1").GetString(), variables.GetProperty("2").GetString(), sent["Body"]));
            }
            else
            {
                await WaitUntilAsync($"SELECT status = 'failed' FROM outbox_messages WHERE idempotency_key = 'shipped-{customer}'");
                Assert.Equal("outside_24h_window", await ScalarAsync<string>($"SELECT last_error FROM outbox_messages WHERE idempotency_key = 'shipped-{customer}'"));
            }
        }
    }

    [Fact]
    public async Task Purchase_OnWhatsApp_RegistersThroughTheLinkAndTheChatContinuesOnThePhone()
    {
        var shop = await ShopAsync();
        (await shop.Client.PutAsJsonAsync("/api/catalog/products", new[]
        {
            new { sku = "WA-PIS-001", name = "Crema di pistacchio", description = "Crema spalmabile con il 40% di pistacchio di Bronte.", category = "pistachio",
                  price = 12.5m, currency = "EUR", stock = 10, imageUrl = "https://cdn.example.com/WA-PIS-001.jpg", language = "it" },
        }, Ct)).EnsureSuccessStatusCode();
        var customer = Phone();
        bool To(TwilioRequest r) => r["To"] == "whatsapp:" + customer;

        await PostSignedAsync(shop, customer, "aggiungi 2 WA-PIS-001 al carrello");
        Assert.Contains("Crema di pistacchio", (await factory.Twilio.WaitForAsync(To))[0]["Body"], StringComparison.Ordinal);
        await PostSignedAsync(shop, customer, "completa l'ordine");

        var invitation = (await factory.Twilio.WaitForAsync(To, count: 2))[1]["Body"]!;
        var link = System.Text.RegularExpressions.Regex.Match(invitation, $@"{System.Text.RegularExpressions.Regex.Escape(WhatsAppFactory.PublicBaseUrl)}/l/[A-Za-z0-9_-]{{43}}").Value;
        Assert.NotEmpty(link);
        var registered = await factory.CreateClient().PostAsync(new Uri(link).PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Giulia Russo", ["email"] = $"giulia-{Guid.NewGuid():N}@example.com", ["addressLine"] = "Via Etnea 1", ["postalCode"] = "95100",
            ["city"] = "Catania", ["country"] = "IT", ["consent"] = "on",
        }), Ct);

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var thanks = (await factory.Twilio.WaitForAsync(To, count: 3))[2]["Body"]!;
        Assert.Contains("Giulia Russo", thanks, StringComparison.Ordinal);
        Assert.Contains("25", thanks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelConfiguration_StoresTheTokenEncryptedAndNeverReturnsIt()
    {
        var shop = await ShopAsync();

        var shown = await shop.Client.GetFromJsonAsync<WhatsAppConfigDto>("/api/channels/whatsapp", Ct);
        var raw = await shop.Client.GetStringAsync("/api/channels/whatsapp", Ct);
        var stored = await ScalarAsync<string>($"SELECT auth_token_protected FROM channel_accounts WHERE account_sid = '{shop.AccountSid}'");
        var invalid = await shop.Client.PutAsJsonAsync("/api/channels/whatsapp", new { accountSid = "AC123", authToken = "x", from = "+39333" }, Ct);
        var other = await factory.CreateMerchantAsync();
        var taken = await factory.ClientWithKey(other.SecretKey).PutAsJsonAsync("/api/channels/whatsapp", new { accountSid = shop.AccountSid, authToken = Token, from = shop.From }, Ct);

        Assert.Equal((shop.From, true, $"{WhatsAppFactory.PublicBaseUrl}/channels/twilio/whatsapp"), (shown!.From, shown.AuthTokenSet, shown.WebhookUrl));
        Assert.DoesNotContain(Token, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, stored, StringComparison.Ordinal);
        var errors = (await invalid.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("accountSid", out _) && errors.TryGetProperty("authToken", out _) && errors.TryGetProperty("from", out _));
        await taken.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.ClientWithKey(other.SecretKey).GetAsync("/api/channels/whatsapp", Ct)).StatusCode);
    }

    private async Task<Shop> ShopAsync(Dictionary<string, string>? templates = null)
    {
        var created = await factory.CreateMerchantAsync(language: "it");
        var client = factory.ClientWithKey(created.SecretKey);
        var accountSid = "AC" + Guid.NewGuid().ToString("N");
        var from = "whatsapp:" + Phone();
        var response = await client.PutAsJsonAsync("/api/channels/whatsapp", new { accountSid, authToken = Token, from, templates }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Shop(created.SecretKey, accountSid, from, client);
    }

    private static string Phone() => "+39" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);

    private static List<KeyValuePair<string, string>> Form(Shop shop, string customer, string body, string sid) =>
    [
        new("SmsMessageSid", sid), new("NumMedia", "0"), new("ProfileName", "Giulia"), new("MessageType", "text"), new("SmsSid", sid),
        new("WaId", customer.TrimStart('+')), new("SmsStatus", "received"), new("Body", body), new("To", shop.From), new("NumSegments", "1"),
        new("ReferralNumMedia", "0"), new("MessageSid", sid), new("AccountSid", shop.AccountSid), new("From", "whatsapp:" + customer), new("ApiVersion", "2010-04-01"),
    ];

    private Task<HttpResponseMessage> PostSignedAsync(Shop shop, string customer, string body, string? sid = null)
    {
        var form = Form(shop, customer, body, sid ?? "SM" + Guid.NewGuid().ToString("N"));
        return PostAsync(form, TwilioStandIn.Sign(Token, WhatsAppFactory.PublicBaseUrl + WhatsAppApi.InboundPath, form));
    }

    private async Task<HttpResponseMessage> PostAsync(List<KeyValuePair<string, string>> form, string signature, string path = WhatsAppApi.InboundPath)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature);
        return await factory.CreateClient().SendAsync(request, Ct);
    }

    private async Task WaitUntilAsync(string sql, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline && await ScalarAsync<bool?>(sql) != true)
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(await ScalarAsync<bool?>(sql), $"Timed out waiting for: {sql}");
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(factory.ConnectionString);
        var value = await dataSource.CreateCommand(sql).ExecuteScalarAsync(Ct);
        return value is null or DBNull ? default! : (T)value;
    }
}

/// <summary>A host whose own workers are off, so each test decides which host process runs them.</summary>
public sealed class WhatsAppRestartFactory : WhatsAppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["Channels:Workers:Enabled"] = "false" };
}

/// <summary>What survives a host going away: the outbox in PostgreSQL, delivered once by the next host.</summary>
public sealed class WhatsAppRestartTests(WhatsAppRestartFactory factory) : IClassFixture<WhatsAppRestartFactory>
{
    private const string Token = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostRestart_WithRepliesInTheOutbox_DeliversThemOnceAfterwards()
    {
        var created = await factory.CreateMerchantAsync(language: "it");
        var accountSid = "AC" + Guid.NewGuid().ToString("N");
        var from = "whatsapp:+390612345678";
        (await factory.ClientWithKey(created.SecretKey).PutAsJsonAsync("/api/channels/whatsapp", new { accountSid, authToken = Token, from }, Ct)).EnsureSuccessStatusCode();
        var customer = "+393471234567";
        factory.Twilio.Down = true;

        var first = factory.WithWebHostBuilder(b => b.UseSetting("Channels:Workers:Enabled", "true"));
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", "SM" + Guid.NewGuid().ToString("N")), new("AccountSid", accountSid), new("From", "whatsapp:" + customer),
            new("To", from), new("Body", "Ciao!"), new("NumMedia", "0"),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, WhatsAppApi.InboundPath) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", TwilioStandIn.Sign(Token, WhatsAppFactory.PublicBaseUrl + WhatsAppApi.InboundPath, form));
        Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().SendAsync(request, Ct)).StatusCode);
        await WaitUntilAsync(() => factory.Twilio.Refused >= 1);
        await first.DisposeAsync();

        factory.Twilio.Recover();
        await using var second = factory.WithWebHostBuilder(b => b.UseSetting("Channels:Workers:Enabled", "true"));
        _ = second.Server;

        var delivered = await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer, timeoutSeconds: 45);
        await Task.Delay(1000, Ct);
        Assert.Single(delivered);
        Assert.Single(factory.Twilio.Accepted, r => r["To"] == "whatsapp:" + customer);
    }

    [Fact]
    public async Task LongNotification_IsSplitIntoNumberedPartsSentInOrder()
    {
        var created = await factory.CreateMerchantAsync(language: "it");
        var accountSid = "AC" + Guid.NewGuid().ToString("N");
        var from = "whatsapp:+390698765432";
        (await factory.ClientWithKey(created.SecretKey).PutAsJsonAsync("/api/channels/whatsapp", new { accountSid, authToken = Token, from }, Ct)).EnsureSuccessStatusCode();
        var customer = "+393331112223";
        var paragraph = "La nostra *crema di pistacchio* 🌰 nasce a Bronte, sulle pendici dell'Etna, dove i pistacchi crescono tra le colate laviche. ";
        var text = string.Join("\n\n", Enumerable.Range(1, 13).Select(i => $"{i}. " + string.Concat(Enumerable.Repeat(paragraph, 3)).Trim()));
        Assert.InRange(text.Length, 4800, 5300);
        Guid conversation;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Agents.Data.TenantContext>().Set(created.MerchantId);
            var db = scope.ServiceProvider.GetRequiredService<Agents.Data.AgentsDbContext>();
            var buyer = new Agents.Data.Entities.Customer { Phone = customer, LastInboundAt = DateTimeOffset.UtcNow };
            var chat = new Agents.Data.Entities.Conversation { SessionId = "wa:" + customer, Channel = "whatsapp", CustomerId = buyer.Id };
            db.AddRange(buyer, chat);
            await db.SaveChangesAsync(Ct);
            conversation = chat.Id;
            await scope.ServiceProvider.GetRequiredService<Commerce.ConversationNotifier>().NotifyAsync(conversation, text, "it", Ct);
        }

        await using var worker = factory.WithWebHostBuilder(b => b.UseSetting("Channels:Workers:Enabled", "true"));
        _ = worker.Server;
        var parts = await factory.Twilio.WaitForAsync(r => r["To"] == "whatsapp:" + customer, count: 4, timeoutSeconds: 30);

        Assert.InRange(parts.Count, 4, 5);
        Assert.All(parts, p => Assert.True(p["Body"]!.Length <= 1600));
        Assert.Equal(Enumerable.Range(1, parts.Count).Select(i => $"({i}/{parts.Count}) "), parts.Select(p => p["Body"]![..$"({parts.Count}/{parts.Count}) ".Length]));
        Assert.Contains("1. La nostra *crema di pistacchio* 🌰", parts[0]["Body"], StringComparison.Ordinal);
        Assert.Contains("13. ", parts[^1]["Body"], StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(condition(), "Timed out.");
    }
}
