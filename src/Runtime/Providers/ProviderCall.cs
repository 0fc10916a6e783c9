using System.Text.Json;

namespace Agents.Runtime.Providers;

/// <summary>Turns the ways a call to a provider can break in transit into one <see cref="ModelProviderException"/>.</summary>
internal static class ProviderCall
{
    public static async Task<T> RunAsync<T>(string provider, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not our token: the HTTP client or the SDK gave up waiting.
            throw new ModelProviderException(provider, null, isTransient: true, $"{provider} did not answer in time.", exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            throw new ModelProviderException(provider, null, isTransient: true, $"{provider} could not be reached or dropped the connection.", exception);
        }
        catch (InvalidDataException exception)
        {
            throw new ModelProviderException(provider, null, isTransient: false, $"{provider} sent a corrupted stream: {exception.Message}", exception);
        }
        catch (JsonException exception)
        {
            throw new ModelProviderException(provider, null, isTransient: false, $"{provider} answered with malformed JSON.", exception);
        }
    }
}
