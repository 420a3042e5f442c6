using System.Net;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>The hosted per-IP bucket for data writes: 600 per minute, beside the general /api one.</summary>
[Collection(EmulatorLoadTests.Name)]
public sealed class DataRateLimitTests
{
    [Fact]
    public async Task Data_writes_have_their_own_bucket_of_600_per_minute_and_reads_do_not_count()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new DataApi(emulator);
        var todos = emulator.CreateCollection(new EmulatorCollectionOptions("todos"));

        var read = await api.ListAsync(emulator.DefaultProjectId, todos, api.Key());
        var writes = new List<WireAnswer>();
        for (var i = 0; i < 601; i++)
        {
            writes.Add(await api.CreateAsync(emulator.DefaultProjectId, todos, api.Key(), "{}"));
        }

        Assert.Equal("2000;w=900", read.RateLimitPolicy);
        Assert.All(writes.Take(600), answer => Assert.Equal(HttpStatusCode.Created, answer.Status));
        Assert.Equal("600;w=60", writes[0].RateLimitPolicy);
        Assert.Equal(HttpStatusCode.TooManyRequests, writes[600].Status);
        Assert.Equal("""{"error":"Too many requests from this IP, please try again later."}""", writes[600].Body);
        Assert.Equal(HttpStatusCode.OK, (await api.ListAsync(emulator.DefaultProjectId, todos, api.Key())).Status);
    }
}
