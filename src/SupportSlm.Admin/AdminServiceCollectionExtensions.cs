using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Radzen;
using SupportSlm.Admin.Auditing;
using SupportSlm.Admin.Bots;
using SupportSlm.Admin.Conversations;
using SupportSlm.Admin.Models;
using SupportSlm.Admin.Security;
using SupportSlm.Admin.Sentiment;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>The portal: Razor components (static by default, interactive server where live), Identity sign-in with roles, policies and the portal services.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        // The Teams package names the bot's Azure registration, which the channels capability is configured with already.
        services.PostConfigure<AdminOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.TeamsBotAppId) && Guid.TryParse(configuration[AdminOptions.ChannelsAppIdKey], out var appId))
                o.TeamsBotAppId = appId.ToString();
        });
        services.TryAddSingleton(TimeProvider.System);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddRadzenComponents();

        services.AddAdminIdentity();
        services.AddSharedKeyRing();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(ConfigureCookie);
        services.AddAuthorization(o =>
        {
            foreach (var (policy, roles) in AdminPolicies.Roles)
                o.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        });

        services.AddSingleton<AuditTrail>();
        services.AddSingleton<BotAdministration>();
        services.AddSingleton<ConversationAdministration>();
        services.AddSingleton<SentimentDashboard>();
        services.AddSingleton<TrainingExamples>();
        services.AddSingleton<ModelAdministration>();
        services.AddSingleton<Knowledge.KnowledgeAdministration>();
        services.AddSingleton<FineTuning>();
        services.AddHostedService(sp => sp.GetRequiredService<FineTuning>());
        services.AddSingleton<AdapterEvaluations>();
        services.AddHostedService(sp => sp.GetRequiredService<AdapterEvaluations>());
        return services;
    }

    /// <summary>Identity stores over the portal identity context: enough for sign-in and for creating users from the CLI.</summary>
    public static IServiceCollection AddAdminIdentity(this IServiceCollection services)
    {
        services.AddIdentityCore<IdentityUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AdminIdentityDbContext>()
            .AddSignInManager();
        services.AddScoped<UserAdministration>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditTrail>();
        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = ".SupportSlm.Admin";
        o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
        o.LoginPath = AdminPaths.Login;
        o.AccessDeniedPath = AdminPaths.AccessDenied;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.SlidingExpiration = true;
        // Endpoints answer with status codes; only pages redirect to the sign-in page.
        o.Events.OnRedirectToLogin = ctx => StatusOrRedirect(ctx, 401);
        o.Events.OnRedirectToAccessDenied = ctx => StatusOrRedirect(ctx, 403);
    }

    private static Task StatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments(AdminPaths.Api))
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
