import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_PACKAGE_VERSION, defaultSdkVersion } from '../../../../src/mapping/common/envelope/sdk-version';

describe('defaultSdkVersion', () => {
  // The mapper does no I/O, so the version is a constant: this keeps it equal to the package's.
  it('reports the version in core/package.json', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { version: string };
    expect(CORE_PACKAGE_VERSION).toBe(version);
  });

  it('is node<version>:otel<version>:ext<version>', () => {
    expect(defaultSdkVersion('9.9.9')).toMatch(new RegExp(`^node${process.versions.node.replace(/\./g, '\\.')}:otel\\d+\\.\\d+\\.\\d+:ext9\\.9\\.9$`));
  });
});
