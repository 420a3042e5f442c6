using System.Net;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>Chaos mode on the storage routes: a download cut in the middle of its body, and faults on the object store's PUT.</summary>
public sealed class StorageChaosTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_download_cut_halfway_sends_the_full_length_then_part_of_the_bytes_and_a_reset()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, Ct);
        using var api = new StorageApi(emulator);
        var bucket = emulator.FindBucketId()!;
        var fileId = await api.SeedFileAsync(bucket, "a.bin", StorageApi.RandomBytes(1_000_000));
        var url = await api.SignAsync(bucket, fileId);
        emulator.SetChaos(new EmulatorChaosOptions { ResetDuringDownload = 1 });

        var listed = await api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(emulator.DefaultProjectId, bucket), api.Key());
        using var response = await api.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var received = 0L;
        var buffer = new byte[64 * 1024];
        var failure = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await body.ReadAsync(buffer, Ct)) > 0)
            {
                received += read;
            }
        });

        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1_000_000, response.Content.Headers.ContentLength);
        Assert.IsAssignableFrom<IOException>(failure);
        Assert.InRange(received, 0, 500_000);
        var statistics = emulator.GetChaosStatistics();
        Assert.Equal(1, statistics.FaultsByKind[nameof(EmulatorChaosOptions.ResetDuringDownload)]);
        Assert.Equal(2, statistics.Requests);
        Assert.Equal(1, statistics.AnswersLostByPath[$"/api/bucket/files/{fileId}/download"]);
    }

    [Fact]
    public async Task The_object_stores_put_gets_faults_too()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, Ct);
        using var api = new StorageApi(emulator);
        var presigned = await api.SendAsync(HttpMethod.Post, "api/files/upload/presigned", api.Key(), $$"""{"projectId":"{{emulator.DefaultProjectId}}","originalName":"a.bin"}""");
        emulator.SetChaos(new EmulatorChaosOptions { ServiceUnavailable = 1 });

        using var put = new HttpRequestMessage(HttpMethod.Put, presigned.Json.GetProperty("url").GetString()) { Content = new ByteArrayContent([1]) };
        put.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var answer = await api.Http.SendAsync(put, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal(1, emulator.GetChaosStatistics().FaultsByKind[nameof(EmulatorChaosOptions.ServiceUnavailable)]);
    }
}
