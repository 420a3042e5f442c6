namespace Mudbase.Tests.Support;

internal static class Errors
{
    /// <summary>Runs <paramref name="call"/>, expects a failure, and checks that nothing of Refit's leaked out.</summary>
    public static async Task<Exception> CatchAsync(Func<Task> call)
    {
        var exception = await Record.ExceptionAsync(call);
        Assert.NotNull(exception);
        AssertNoRefitTypes(exception);
        return exception;
    }

    /// <summary>Expects exactly <typeparamref name="T"/> (not a subclass) from a failed call.</summary>
    public static async Task<T> ExpectAsync<T>(Func<Task> call) where T : Exception
    {
        var exception = await CatchAsync(call);
        return Assert.IsType<T>(exception, exactMatch: true);
    }

    /// <summary>Neither the exception nor anything inside it is a Refit type (ApiException and friends).</summary>
    public static void AssertNoRefitTypes(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            Assert.False(e is Refit.ApiException, $"a Refit.ApiException leaked: {e.GetType()}");
            Assert.False(e.GetType().Namespace?.StartsWith("Refit", StringComparison.Ordinal) == true, $"a Refit type leaked: {e.GetType()}");
        }
    }
}
