import { createMappingContext } from '../../../../src/mapping/common/envelope/mapping-context';
import { defaultSdkVersion } from '../../../../src/mapping/common/envelope/sdk-version';

describe('defaultSdkVersion', () => {
  it('follows the node<version>:otel<version>:ext<version> convention', () => {
    expect(defaultSdkVersion()).toBe(`node${process.versions.node}:otel2.12.0:ext0.1.0`);
    expect(defaultSdkVersion('9.9.9')).toBe(`node${process.versions.node}:otel2.12.0:ext9.9.9`);
  });
});

describe('createMappingContext', () => {
  it.each([
    ['defaults the sdk version', { instrumentationKey: 'k' }, { instrumentationKey: 'k', sdkVersion: defaultSdkVersion() }],
    ['keeps an explicit sdk version', { instrumentationKey: 'k', sdkVersion: 'custom' }, { instrumentationKey: 'k', sdkVersion: 'custom' }],
  ])('%s', (_title, options, expected) => {
    const ctx = createMappingContext(options);
    expect(ctx).toEqual(expected);
    expect(Object.isFrozen(ctx)).toBe(true);
  });
});
