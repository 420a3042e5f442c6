using System.Text;
using Mudbase.Emulator;

namespace Mudbase.Benchmarks;

/// <summary>
/// Checks the comparison is fair before it is measured: over the canned handler every contender (the SDK built each
/// public way a handler plugs into) sends the same method, path, User-Agent and JSON body, once per call, and parses the
/// answers; over loopback every contender succeeds.
/// </summary>
internal static class Verify
{
    public static async Task<int> RunAsync()
    {
        var handlers = new Dictionary<string, CannedHandler>();
        using var c = Contenders.CreateCanned(name =>
        {
            // The factory may ask for the AddMudbaseClient path's primary handler again (a rotation): one recorder per name.
            if (!handlers.TryGetValue(name, out var handler))
            {
                handlers[name] = handler = new CannedHandler { Recorded = [] };
            }

            return handler;
        });

        await c.BaselineAnonymousAsync();
        await c.RefitAnonymousAsync();
        await c.BaselineRegisterAsync(Payloads.Email);
        await c.RefitRegisterAsync(Payloads.Email);
        await c.BaselineSessionAsync();
        await c.RefitSessionAsync();
        foreach (var path in SdkPaths.Pluggable)
        {
            var sdk = c.Sdk(path);
            await sdk.AnonymousAsync();
            await sdk.RegisterAsync(Payloads.Email);
            await sdk.SessionAsync();
        }

        var failures = 0;
        var baseline = handlers["baseline"];
        for (var i = 0; i < 3; i++)
        {
            var b = baseline.Recorded![i];
            Console.WriteLine($"== {b.Method} {b.PathAndQuery}");
            foreach (var name in new[] { "baseline", "refit" }.Concat(SdkPaths.Pluggable))
            {
                var recorded = handlers[name].Recorded!;
                if (recorded.Count != 3)
                {
                    Console.WriteLine($"-- {name}: {recorded.Count} requests reached the handler, not 3");
                    failures++;
                    continue;
                }

                var r = recorded[i];
                Console.WriteLine($"-- {name}: {r.Method} {r.PathAndQuery}");
                Console.WriteLine("   " + r.Headers.Replace("\n", "\n   ", StringComparison.Ordinal));
                Console.WriteLine("   body: " + (r.Body is null ? "(none)" : Encoding.UTF8.GetString(r.Body)));
                var sameBody = (r.Body ?? []).AsSpan().SequenceEqual(b.Body ?? []);
                if (r.Method != b.Method || r.PathAndQuery != b.PathAndQuery || !sameBody || !r.Headers.Contains("User-Agent: " + Payloads.UserAgent, StringComparison.Ordinal))
                {
                    Console.WriteLine("   MISMATCH with the hand-written request (method, path, body or User-Agent)");
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
            Console.WriteLine($"hand-written anonymous:  {(await loop.BaselineAnonymousAsync()).User.Id}");
            Console.WriteLine($"plain refit anonymous:   {(await loop.RefitAnonymousAsync()).User.Id}");
            Console.WriteLine($"hand-written register:   token={(await loop.BaselineRegisterAsync("v-baseline@northwind.dev")).Token is not null}");
            Console.WriteLine($"plain refit register:    token={(await loop.RefitRegisterAsync("v-refit@northwind.dev")).Token is not null}");
            Console.WriteLine($"hand-written session:    authenticated={(await loop.BaselineSessionAsync()).Authenticated}");
            Console.WriteLine($"plain refit session:     authenticated={(await loop.RefitSessionAsync()).Authenticated}");
            foreach (var path in loop.SdkPathsBuilt)
            {
                var sdk = loop.Sdk(path);
                Console.WriteLine($"{path} anonymous: {(await sdk.AnonymousAsync()).User.Id}");
                Console.WriteLine($"{path} register:  session={(await sdk.RegisterAsync($"v-{path}@northwind.dev")).Session is not null}");
                Console.WriteLine($"{path} session:   authenticated={(await sdk.SessionAsync()).Authenticated}");
            }
        }

        Console.WriteLine(failures == 0 ? "verify: the same requests" : $"verify: {failures} mismatches");
        return failures == 0 ? 0 : 1;
    }
}
