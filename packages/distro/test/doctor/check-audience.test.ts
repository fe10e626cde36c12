import { checkAudience } from '../../src/doctor/check-audience';

const PUBLIC = 'https://westeurope-5.in.applicationinsights.azure.com/';
const CHINA = 'https://chinanorth3-0.in.applicationinsights.azure.cn/';

describe('checkAudience (doctor)', () => {
  it.each([
    ['the public ingestion audience', 'https://monitor.azure.com', 'https://monitor.azure.com/.default', PUBLIC, 'ok', /is the ingestion audience of the endpoint's cloud \(public\)/],
    ['the ingestion audience with a trailing slash', 'https://monitor.azure.com/', 'https://monitor.azure.com/.default', PUBLIC, 'ok', /public/],
    ['the China ingestion audience', 'https://monitor.azure.cn', 'https://monitor.azure.cn/.default', CHINA, 'ok', /china/],
    ['the query API audience (requested by mistake)', 'https://api.applicationinsights.io', 'https://api.applicationinsights.io/.default', PUBLIC, 'fail', /is the Application Insights query API's \(for reading telemetry\), not ingestion's/],
    ['the China query API audience', 'https://api.applicationinsights.azure.cn', 'https://api.applicationinsights.azure.cn/.default', CHINA, 'fail', /query API's/],
    ['another cloud\'s ingestion audience', 'https://monitor.azure.us', 'https://monitor.azure.us/.default', PUBLIC, 'fail', /is for the usgov cloud, but the ingestion endpoint .* is in the public cloud/],
    ['a token for another resource than requested', 'https://management.azure.com', 'https://monitor.azure.com/.default', PUBLIC, 'fail', /is not the requested https:\/\/monitor\.azure\.com/],
    ['another resource, requested by an override', 'https://management.azure.com', 'https://management.azure.com/.default', PUBLIC, 'fail', /is not Azure Monitor ingestion's \(https:\/\/monitor\.azure\.com in the public cloud\)/],
  ])('%s: %s', (_case, aud, scope, endpoint, status, summary) => {
    const result = checkAudience({ aud }, scope, endpoint, 'the --audience flag');
    expect(result).toMatchObject({ step: 'audience', status });
    expect(result.summary).toMatch(summary);
    if (status === 'fail' && scope !== 'https://monitor.azure.com/.default') {
      expect(result.fix).toMatch(/remove or correct the --audience flag \(for the \w+ cloud the ingestion audience is https:\/\/monitor\.azure\.(com|cn)\)/);
    }
  });

  it('skips an opaque token', () => {
    expect(checkAudience(undefined, 'https://monitor.azure.com/.default', PUBLIC)).toMatchObject({ status: 'skip' });
  });
});
