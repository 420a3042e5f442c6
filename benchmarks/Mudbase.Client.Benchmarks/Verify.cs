using System.Text;
using Mudbase.Emulator;

namespace Mudbase.Benchmarks;

/// <summary>
/// Checks the comparison is fair before it is measured: over the canned handler the three contenders send the same
/// method, path, headers and JSON body, and all three parse the answers; over loopback all three succeed.
/// </summary>
internal static class Verify
{
    public static async Task<int> RunAsync()
    {
        var handlers = new List<CannedHandler>();
        using var c = Contenders.CreateCanned(() =>
        {
            var handler = new CannedHandler { Recorded = [] };
            handlers.Add(handler);
            return handler;
        });

        // Creation order in Contenders.Create: the SDK's transport, the baseline's, Refit's.
        var (sdk, baseline, refit) = (handlers[0], handlers[1], handlers[2]);
        await c.SdkAnonymousAsync();
        await c.BaselineAnonymousAsync();
        await c.RefitAnonymousAsync();
        await c.SdkRegisterAsync(Payloads.Email);
        await c.BaselineRegisterAsync(Payloads.Email);
        await c.RefitRegisterAsync(Payloads.Email);
        await c.SdkSessionAsync();
        await c.BaselineSessionAsync();
        await c.RefitSessionAsync();

        var failures = 0;
        for (var i = 0; i < 3; i++)
        {
            var s = sdk.Recorded![i];
            Console.WriteLine($"== {s.Method} {s.PathAndQuery}");
            foreach (var (name, r) in new[] { ("sdk", s), ("hand-written", baseline.Recorded![i]), ("plain refit", refit.Recorded![i]) })
            {
                Console.WriteLine($"-- {name}: {r.Method} {r.PathAndQuery}");
                Console.WriteLine("   " + r.Headers.Replace("\n", "\n   ", StringComparison.Ordinal));
                Console.WriteLine("   body: " + (r.Body is null ? "(none)" : Encoding.UTF8.GetString(r.Body)));
                var sameBody = (r.Body ?? []).AsSpan().SequenceEqual(s.Body ?? []);
                if (r.Method != s.Method || r.PathAndQuery != s.PathAndQuery || !sameBody)
                {
                    Console.WriteLine("   MISMATCH with the SDK's request");
                    failures++;
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("== loopback, emulator in this process");
        var (emulator, loop) = await LoopbackSetup.StartAsync();
        await using (emulator)
        using (loop)
        {
            Console.WriteLine($"sdk anonymous:           {(await loop.SdkAnonymousAsync()).User.Id}");
            Console.WriteLine($"hand-written anonymous:  {(await loop.BaselineAnonymousAsync()).User.Id}");
            Console.WriteLine($"plain refit anonymous:   {(await loop.RefitAnonymousAsync()).User.Id}");
            Console.WriteLine($"sdk register:            session={(await loop.SdkRegisterAsync("v1@northwind.dev")).Session is not null}");
            Console.WriteLine($"hand-written register:   token={(await loop.BaselineRegisterAsync("v2@northwind.dev")).Token is not null}");
            Console.WriteLine($"plain refit register:    token={(await loop.RefitRegisterAsync("v3@northwind.dev")).Token is not null}");
            Console.WriteLine($"sdk session:             authenticated={(await loop.SdkSessionAsync()).Authenticated}");
            Console.WriteLine($"hand-written session:    authenticated={(await loop.BaselineSessionAsync()).Authenticated}");
            Console.WriteLine($"plain refit session:     authenticated={(await loop.RefitSessionAsync()).Authenticated}");
        }

        Console.WriteLine(failures == 0 ? "verify: the same requests" : $"verify: {failures} mismatches");
        return failures == 0 ? 0 : 1;
    }
}
