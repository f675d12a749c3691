/**
 * Amazon SES v2 as the mailing functions call it: `SendEmail` (POST /v2/email/outbound-emails,
 * SigV4-signed JSON) answered as SES answers it, with a MessageId, and counted. Anything else is
 * SES's answer to an unknown route. No imports at run time: the bench's warm runner bundles it.
 */
import { count, json, type CallCounts, type StubReply, type StubRequest } from './reply';

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

export function sesStub(counts: CallCounts = {}): (request: StubRequest) => StubReply {
  let sent = 0;
  return ({ method, path, headers, body }) => {
    if (method !== 'POST' || path.split('?')[0] !== SEND_EMAIL_PATH) {
      return json(404, { message: 'Not Found' });
    }
    if (
      !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/ses\/aws4_request, /.test(
        headers.authorization ?? '',
      )
    ) {
      return json(403, { message: 'Missing Authentication Token' });
    }
    const request = JSON.parse(body || '{}') as {
      FromEmailAddress?: string;
      Destination?: { ToAddresses?: string[] };
      Content?: { Simple?: { Subject?: { Data?: string } } };
    };
    if (
      !request.FromEmailAddress ||
      !request.Destination?.ToAddresses?.length ||
      !request.Content?.Simple?.Subject?.Data
    ) {
      return json(400, { message: 'A required parameter is missing.' });
    }
    count(counts, 'SendEmail');
    sent += 1;
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': '00000000-0000-4000-8000-00000000000a',
      },
      body: JSON.stringify({ MessageId: `0100018c-bench-${String(sent).padStart(6, '0')}-000000` }),
    };
  };
}
