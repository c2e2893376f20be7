package software.amazon.awssdk.awscore.exception;

/**
 * Test stand-in with the name of the AWS SDK's class (quarry-core does not depend on the SDK), whose message
 * carries the status the way the SDK writes it.
 */
public class AwsServiceException extends RuntimeException {
    public AwsServiceException(int status) {
        super("refused (Service: BedrockRuntime, Status Code: " + status + ", Request ID: 1)");
    }
}
