using System.Globalization;
using Mudbase.Auth;

namespace Mudbase.Benchmarks;

/// <summary>
/// `-- views [N]`: bytes allocated by one <c>WithSession</c> view and its first call (GetSessionAsync as the view's user),
/// over the canned handler, through public API only (<c>new MudbaseClient(options, httpClient)</c>). Averaged over N views
/// after a warm-up; the same client for all, as a server that makes one view per request.
/// </summary>
public static class ViewCost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var views = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        using var http = new HttpClient(new CannedHandler());
        using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri("http://127.0.0.1:8787/"), ProjectId = Payloads.ProjectId }, http);
        var session = new AuthSession(Payloads.Token, Payloads.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Payloads.UserId, Payloads.Email));

        // The cost of the call alone, on one long-lived view, to subtract.
        var longLived = client.WithSession(session);
        for (var i = 0; i < 2_000; i++)
        {
            await client.WithSession(session).Auth.GetSessionAsync().ConfigureAwait(false);
            await longLived.Auth.GetSessionAsync().ConfigureAwait(false);
        }

        var callOnly = await MeasureAsync(views, () => longLived.Auth.GetSessionAsync()).ConfigureAwait(false);
        var viewAndCall = await MeasureAsync(views, () => client.WithSession(session).Auth.GetSessionAsync()).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"views: {views}; bytes per WithSession + first call: {viewAndCall:F0}; per call on a long-lived view: {callOnly:F0}; the view itself: {viewAndCall - callOnly:F0}"));
        return 0;
    }

    private static async Task<double> MeasureAsync(int count, Func<Task<SessionInfo>> call)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
        {
            await call().ConfigureAwait(false);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
    }
}
