using System.Text;
using Agents.Runtime.Providers;
using Amazon;
using Amazon.Runtime;

namespace Agents.Runtime.Tests.Providers;

/// <summary>
/// Against the worked examples AWS publishes for SigV4 with a single-chunk payload (Amazon S3 API
/// reference, "Signature Calculations for the Authorization Header: Transferring Payload in a
/// Single Chunk"). AWSSDK.Core always signs X-Amz-Content-SHA256, so the generic test-suite vectors
/// (get-vanilla, post-vanilla), which do not, cannot be reproduced through it; these examples do sign it.
/// </summary>
public sealed class AwsSigV4Tests
{
    private static readonly BasicAWSCredentials ExampleCredentials = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static readonly DateTime ExampleTime = new(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Sign_GetObjectExample_MatchesPublishedSignature()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-9");

        AwsSigV4.Sign(request, [], ExampleCredentials, RegionEndpoint.USEast1, "s3", ExampleTime);

        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", Header(request, "Authorization"));
        Assert.Equal("20130524T000000Z", Header(request, "X-Amz-Date"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Header(request, "X-Amz-Content-SHA256"));
    }

    [Fact]
    public void Sign_PutObjectExample_MatchesPublishedSignature()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "https://examplebucket.s3.amazonaws.com/test$file.text");
        request.Headers.TryAddWithoutValidation("Date", "Fri, 24 May 2013 00:00:00 GMT");
        request.Headers.TryAddWithoutValidation("x-amz-storage-class", "REDUCED_REDUNDANCY");

        AwsSigV4.Sign(request, Encoding.UTF8.GetBytes("Welcome to Amazon S3."), ExampleCredentials, RegionEndpoint.USEast1, "s3", ExampleTime);

        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
            + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd", Header(request, "Authorization"));
        Assert.Equal("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", Header(request, "X-Amz-Content-SHA256"));
    }

    [Theory]
    [InlineData("https://examplebucket.s3.amazonaws.com/?lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")]
    [InlineData("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    public void Sign_GetBucketExamples_MatchPublishedSignatures(string uri, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);

        AwsSigV4.Sign(request, [], ExampleCredentials, RegionEndpoint.USEast1, "s3", ExampleTime);

        Assert.EndsWith($"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}", Header(request, "Authorization"), StringComparison.Ordinal);
    }

    private static string Header(HttpRequestMessage request, string name) => string.Join(",", request.Headers.GetValues(name));
}
