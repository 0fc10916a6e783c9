using System.Text.Json.Serialization;
using Agents.AgentHost.Apis;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Demo;
using Agents.AgentHost.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Agents.AgentHost.WhatsApp;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Agents.AgentHost;

public static class Extensions
{
    public static IHostApplicationBuilder AddAgentHost(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= $"{c.HttpContext.Request.Method} {c.HttpContext.Request.Path}";
            // OpenAI SDKs read only their own error object: give every /v1 problem one, auth failures included.
            if (c.HttpContext.Request.Path.StartsWithSegments("/v1") && !c.ProblemDetails.Extensions.ContainsKey("error"))
            {
                c.ProblemDetails.Extensions["error"] = new Chat.ChatCompletionsError(c.ProblemDetails.Detail ?? c.ProblemDetails.Title ?? "", "invalid_request_error", null, null);
            }

            // Kestrel rejects an oversized chunked body itself; say what the limit was.
            if (c.HttpContext.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && c.ProblemDetails.Detail is null)
            {
                var limit = c.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? RequestBodyLimitMiddleware.DefaultLimit;
                c.ProblemDetails.Detail = $"The request body is larger than this endpoint accepts: at most {limit} bytes.";
            }
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        if (builder.Environment.IsDevelopment() && string.IsNullOrEmpty(builder.Configuration["Admin:ApiKey"]))
        {
            // Development only: a throw-away admin key for this run, printed by the start-up banner.
            builder.Configuration["Admin:ApiKey"] = "adm_dev_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            builder.Configuration["Admin:Generated"] = "true";
        }

        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .Validate(o => string.IsNullOrEmpty(o.ApiKey) || o.ApiKey.Length >= 32, "Admin:ApiKey must be at least 32 characters.")
            .ValidateOnStart();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AgentPolicies.Admin, p => p.RequireClaim(AgentClaims.Admin, "true"))
            .AddPolicy(AgentPolicies.SecretKey, p => p
                .RequireClaim(AgentClaims.KeyKind, ApiKeyFormat.Secret)
                .RequireClaim(AgentClaims.MerchantStatus, Data.Entities.MerchantStatus.Active, Data.Entities.MerchantStatus.Trial))
            .AddPolicy(AgentPolicies.Chat, p => p
                .RequireClaim(AgentClaims.MerchantStatus, Data.Entities.MerchantStatus.Active, Data.Entities.MerchantStatus.Trial)
                .RequireAssertion(context => context.User.HasClaim(AgentClaims.KeyKind, ApiKeyFormat.Secret)
                    || context.User.HasClaim(AgentClaims.KeyKind, ApiKeyFormat.Publishable)
                    && context.Resource is HttpContext http && http.Request.Headers.Origin.ToString() is { Length: > 0 } origin
                    && context.User.HasClaim(AgentClaims.AllowedOrigin, origin)));

        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Agents API",
                Version = "v1",
                Description = "Conversational commerce engine. Authenticate with 'Authorization: Bearer <key>': " +
                              "the admin key for /api/admin, a merchant's secret key (sk_…) for everything else.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "sk_test_…/sk_live_… secret keys, pk_… publishable keys (chat only), or the admin key.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            return Task.CompletedTask;
        }));

        services.AddScoped<MerchantProvisioning>();
        Plugins.ToolCatalog.AddPlugins(services);
        services.AddSingleton(sp => Plugins.ShopperTexts.Load(sp.GetRequiredService<Chat.AssistantModels>().PromptsDirectory));
        services.AddOptions<Plugins.Links.SecureLinkOptions>().BindConfiguration(Plugins.Links.SecureLinkOptions.Section)
            .Validate(o => o.Lifetime > TimeSpan.Zero && o.Lifetime <= TimeSpan.FromDays(30), "Links:Lifetime must be between 1 second and 30 days.")
            .ValidateOnStart();
        services.AddSingleton<Commerce.PublicBaseUrl>();
        services.AddSingleton<Plugins.Links.IPublicBaseUrl>(sp => sp.GetRequiredService<Commerce.PublicBaseUrl>());
        services.AddScoped<Commerce.ConversationNotifier>();
        Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(services.AddDataProtection(), "Agents");
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
            new ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>())));
        services.AddScoped<WhatsApp.ChannelAccounts>();
        services.AddSingleton<WhatsApp.WhatsAppSignals>();
        services.AddSingleton<WhatsApp.Outbox>();
        services.AddOptions<Channels.Twilio.TwilioOptions>().BindConfiguration("Channels:Twilio");
        services.AddHttpClient<Channels.Twilio.TwilioMessagesClient>();
        if (builder.Configuration.GetValue("Channels:Workers:Enabled", true))
        {
            // Web-only hosts can leave inbound turns and outbound delivery to worker hosts.
            services.AddHostedService<WhatsApp.InboundProcessor>();
            services.AddHostedService<WhatsApp.OutboxSender>();
        }
        Pages.LinkPages.AddLinkPages(services);
        services.AddSingleton<Runtime.Invocation.ToolLoop>();
        services.AddOptions<Chat.ModelsOptions>().BindConfiguration(Chat.ModelsOptions.Section);
        services.AddHttpClient();
        services.AddSingleton<Chat.AssistantModels>();
        services.AddScoped<Chat.ChatPipeline>();
        services.AddOptions<Agents.Analytics.Execution.AnalyticsOptions>().BindConfiguration(Agents.Analytics.Execution.AnalyticsOptions.Section);
        services.AddSingleton<Agents.Analytics.Semantic.SemanticLayer>();
        services.AddSingleton<Agents.Analytics.Execution.AnalyticsQueryRunner>();
        services.AddSingleton<Analytics.TextToSql>();
        services.AddSingleton<Analytics.CatalogueTerms>();
        services.AddScoped<Analytics.AnalyticsService>();
        services.AddScoped<Agents.Analytics.IAnalyticsAsker>(sp => sp.GetRequiredService<Analytics.AnalyticsService>());
        services.AddOptions<Analytics.InsightsOptions>().BindConfiguration(Analytics.InsightsOptions.Section);
        services.AddSingleton<Analytics.InsightsStore>();
        services.AddSingleton<Analytics.InsightsService>();
        services.AddSingleton<Analytics.InsightsQueue>();
        services.AddHostedService<Analytics.InsightsScheduler>();
        services.AddSingleton<Chat.TurnGate>();
        services.AddCors(o => o.AddPolicy(Chat.ChatApi.ChatCors, p => p
            .SetIsOriginAllowed(_ => true)
            .WithHeaders("Authorization", "X-Api-Key", "Content-Type", "Accept")
            .WithMethods("GET", "POST", "DELETE")));
        builder.AddDemoMerchant();
        services.AddHostedService<StartupBanner>();
        return builder;
    }

    public static WebApplication UseAgentHost(this WebApplication app)
    {
        // Load and validate the prompts and train the local model now: a broken prompt file stops
        // the host at start-up with file:line errors, and the first chat does not pay for training.
        app.Services.GetRequiredService<Chat.AssistantModels>();
        app.Services.GetRequiredService<Plugins.ShopperTexts>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapHealthApi();
        app.MapAdminApi();
        app.MapMerchantApi();
        app.MapCustomersApi();
        app.MapConversationsApi();
        app.MapDocumentsApi();
        app.MapCatalogApi();
        app.MapCommerceApi();
        app.MapOrdersBulkApi();
        Analytics.AnalyticsApi.MapAnalyticsApi(app);
        Analytics.InsightsApi.MapInsightsApi(app);
        app.MapWhatsAppApi();
        Chat.ChatApi.MapChatApi(app);
        Chat.ChatCompletionsApi.MapChatCompletionsApi(app);
        Pages.LinkPages.MapLinkPages(app);
        Widget.WidgetApi.MapWidgetApi(app);
        return app;
    }
}
