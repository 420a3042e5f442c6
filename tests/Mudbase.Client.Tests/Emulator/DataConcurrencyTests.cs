using System.Net;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>
/// Tests that load the machine (thousands of requests in a burst). They run alone, after the parallel ones, so that
/// they do not slow down tests elsewhere that measure time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatorLoadTests
{
    public const string Name = "Emulator load";
}

/// <summary>Many writers at once: no lost document, and unique holds.</summary>
[Collection(EmulatorLoadTests.Name)]
public sealed class DataConcurrencyTests(DataEmulatorFixture fixture) : IClassFixture<DataEmulatorFixture>
{
    private MudbaseEmulator Emulator => fixture.Emulator;

    private DataApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    private string NewCollection(params EmulatorCollectionField[] fields)
    {
        var options = new EmulatorCollectionOptions(DataApi.NewName("load"));
        foreach (var field in fields)
        {
            options.Fields.Add(field);
        }

        Emulator.CreateCollection(options);
        return options.Name;
    }

    [Fact]
    public async Task Sixteen_concurrent_writers_create_1000_documents_that_are_all_found_and_unique_holds()
    {
        var load = NewCollection(new EmulatorCollectionField("seq", "number") { Unique = true });
        var next = -1;

        // 16 writers race over 1,000 sequence numbers; each number is also tried a second time by another writer.
        var writers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var results = new List<(int Seq, HttpStatusCode Status)>();
            int seq;
            while ((seq = Interlocked.Increment(ref next)) < 2000)
            {
                var value = seq % 1000;
                var answer = await Api.CreateAsync(Project, load, Api.Key(), $$"""{"seq":{{value}},"writer":{{seq}}}""");
                results.Add((value, answer.Status));
            }

            return results;
        })).ToList();
        var outcomes = (await Task.WhenAll(writers)).SelectMany(r => r).ToList();

        Assert.Equal(2000, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, o.ToString()));
        Assert.All(outcomes.GroupBy(o => o.Seq), g => Assert.Equal(1, g.Count(o => o.Status == HttpStatusCode.Created)));

        var found = new List<int>();
        for (var page = 1; page <= 10; page++)
        {
            var answer = await Api.ListAsync(Project, load, Api.Key(), $"?sort=seq&limit=100&page={page}");
            Assert.Equal(1000, answer.Json.GetProperty("pagination").GetProperty("total").GetInt32());
            found.AddRange(answer.Documents.Select(d => d.GetProperty("seq").GetInt32()));
        }

        Assert.Equal(Enumerable.Range(0, 1000), found);
    }
}
