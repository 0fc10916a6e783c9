using Agents.Data;
using Agents.Data.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.WhatsApp;

/// <summary>WhatsApp numbers of all merchants, as webhooks and the sender need them (across tenants), and their secrets.</summary>
public sealed class ChannelAccounts(AgentsDbContext db, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Agents.ChannelSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Token(ChannelAccount account) => _protector.Unprotect(account.AuthTokenProtected);

    /// <summary>
    /// The number an inbound message was sent to: by messaging service, else by account and number.
    /// Null when this Twilio account has no such number here; then <paramref name="anyOfAccount"/> is
    /// another number of the same Twilio account (its token validates the request), if there is one.
    /// </summary>
    public async Task<(ChannelAccount? Account, ChannelAccount? AnyOfAccount)> FindAsync(string accountSid, string to, string? messagingServiceSid, CancellationToken cancellationToken)
    {
        var accounts = db.ChannelAccounts.IgnoreQueryFilters().AsNoTracking();
        var account = messagingServiceSid is { Length: > 0 }
            ? await accounts.FirstOrDefaultAsync(a => a.MessagingServiceSid == messagingServiceSid && a.AccountSid == accountSid, cancellationToken)
            : null;
        account ??= await accounts.FirstOrDefaultAsync(a => a.AccountSid == accountSid && a.FromAddress == to, cancellationToken);
        return (account, account ?? await accounts.FirstOrDefaultAsync(a => a.AccountSid == accountSid, cancellationToken));
    }

    public async Task<ChannelAccount?> ForMerchantAsync(Guid merchantId, CancellationToken cancellationToken) =>
        await db.ChannelAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.MerchantId == merchantId && a.Channel == "whatsapp", cancellationToken);
}
