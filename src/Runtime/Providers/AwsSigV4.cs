using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Agents.Runtime.Providers;

/// <summary>Signs a request with AWS Signature Version 4 through AWSSDK.Core's standalone signer.</summary>
internal static class AwsSigV4
{
    /// <summary>
    /// Signs the request line, its host, its own headers and <paramref name="body"/>, then adds
    /// Authorization, X-Amz-Date, X-Amz-Content-SHA256 and, for temporary credentials, X-Amz-Security-Token.
    /// </summary>
    public static void Sign(HttpRequestMessage request, byte[] body, AWSCredentials credentials, RegionEndpoint region, string service, DateTime signedAt)
    {
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri!, Content = body };
        foreach (var (name, values) in request.Headers)
        {
            signing.Headers[name] = string.Join(',', values);
        }

        var signed = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = region,
            Service = service,
            SignedAt = signedAt,
        });
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
