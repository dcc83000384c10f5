using Microsoft.Playwright;
using SupportSlm.Admin.Security;

namespace SupportSlm.Admin.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SignInFlowTests(Browser browser)
{
    [Fact]
    public async Task First_run_setup_creates_the_admin_who_can_sign_out_and_back_in_and_a_wrong_password_is_refused()
    {
        await using var host = new AdminHost();
        var page = await browser.NewPageAsync(host.StartKestrel());

        await page.GotoAsync("/admin/bots");
        Assert.Contains("/admin/login", page.Url);
        await page.ClickAsync("text=Create the first administrator");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("First-run setup");
        await page.FillAsync("#email", "owner@example.test");
        await page.FillAsync("#password", AdminHost.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/admin");
        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync("owner@example.test");
        await Browser.ScreenshotAsync(page, "home");

        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/admin/login");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.FillAsync("#email", "owner@example.test");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("not correct");
        await Browser.ScreenshotAsync(page, "sign-in-refused");

        await Browser.SignInAsync(page, "owner@example.test");
        await page.GotoAsync("/admin/setup");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("already has users");
    }

    [Fact]
    public async Task Agents_do_not_see_admin_navigation_and_are_refused_admin_pages()
    {
        await using var host = new AdminHost();
        var baseAddress = host.StartKestrel();
        await host.CreateUserAsync("agent@example.test", AdminRoles.Agent);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "agent@example.test");

        await Assertions.Expect(page.Locator("nav")).ToContainTextAsync("Conversations");
        await Assertions.Expect(page.Locator("nav")).Not.ToContainTextAsync("Bots");
        await page.GotoAsync("/admin/bots");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Access denied");
    }
}
