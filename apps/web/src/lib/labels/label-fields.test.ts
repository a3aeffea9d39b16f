import { describe, expect, it } from '@jest/globals';

import { ProblemError } from '@/lib/qr/problem';

import { fieldsFromEntries, fieldsFromJson, MAX_BODY_BYTES, readLabelFields } from './label-fields';

const post = (body: BodyInit, contentType: string, headers: Record<string, string> = {}) =>
  new Request('http://localhost/labels', {
    method: 'POST',
    body,
    headers: { 'Content-Type': contentType, ...headers },
    duplex: 'half',
  } as RequestInit);

const refusalOf = async (promise: Promise<unknown>): Promise<ProblemError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe(fieldsFromEntries.name, () => {
  it('splits serials at commas and white space, collects repeats, drops empty fields', () => {
    const fields = fieldsFromEntries(
      new URLSearchParams('gtin=+09506000134352+&lot=&serials=1,2,,3&serials=4%0D%0A5 6&name='),
    );
    expect(Object.fromEntries(fields)).toEqual({
      gtin: ['09506000134352'],
      lot: [],
      serials: ['1', '2', '3', '4', '5', '6'],
      name: [],
    });
  });
});

describe(fieldsFromJson.name, () => {
  it('takes array serials as they are (commas included) and numbers as text', () => {
    const fields = fieldsFromJson({ gtin: '09506000134352', serials: ['1,2', 3], count: null });
    expect(Object.fromEntries(fields)).toEqual({ gtin: ['09506000134352'], serials: ['1,2', '3'] });
    expect(fieldsFromJson({ serials: '1, 2' }).get('serials')).toEqual(['1', '2']);
  });

  it.each([
    [{ gtin: 9506000134352 }, 'gtin: must be a string'],
    [{ lot: { a: 1 } }, 'lot: must be a string or number'],
    [{ serials: [1.5] }, 'serials: must be a string or number'],
    [{ count: -1 }, 'count: must be a string or number'],
  ])('refuses %j', (body, detail) => {
    expect(() => fieldsFromJson(body)).toThrow(detail);
  });

  it.each([[[]], ['x'], [null], [1]])('refuses the body %j, which is not an object', (body) => {
    expect(() => fieldsFromJson(body)).toThrow('the JSON body must be an object');
  });
});

describe(readLabelFields.name, () => {
  it('reads JSON (also +json and with a charset), forms and multipart forms', async () => {
    const json = JSON.stringify({ gtin: '09506000134352', serials: ['a,b'] });
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/x+json',
    ]) {
      const fields = await readLabelFields(post(json, type));
      expect(fields.get('serials')).toEqual(['a,b']);
    }
    const form = await readLabelFields(
      post('gtin=09506000134352&serials=1%2C2', 'application/x-www-form-urlencoded'),
    );
    expect(form.get('serials')).toEqual(['1', '2']);
    const data = new FormData();
    data.append('gtin', '09506000134352');
    data.append('serials', '7 8');
    const multipart = new Request('http://localhost/labels', { method: 'POST', body: data });
    expect(Object.fromEntries(await readLabelFields(multipart))).toEqual({
      gtin: ['09506000134352'],
      serials: ['7', '8'],
    });
  });

  it.each([
    ['text/plain', 'gtin=1', 'UNSUPPORTED_MEDIA_TYPE'],
    ['', 'gtin=1', 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/json', '{"gtin":', 'MALFORMED_BODY'],
    ['application/json', new Uint8Array([0x7b, 0xff, 0x7d]), 'MALFORMED_BODY'],
    ['multipart/form-data; boundary=x', 'not multipart', 'MALFORMED_BODY'],
  ])('refuses %s %p with %s', async (type, body, code) => {
    const error = await refusalOf(readLabelFields(post(body as BodyInit, type)));
    expect(error.code).toBe(code);
  });

  it('refuses a file in a multipart form', async () => {
    const data = new FormData();
    data.append('gtin', new Blob(['09506000134352']), 'gtin.txt');
    const request = new Request('http://localhost/labels', { method: 'POST', body: data });
    const error = await refusalOf(readLabelFields(request));
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'gtin' });
  });

  it(`refuses a body over ${MAX_BODY_BYTES} bytes, announced or streamed`, async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) });
    const announced = await refusalOf(
      readLabelFields(post('{}', 'application/json', { 'Content-Length': String(big.length) })),
    );
    expect(announced.code).toBe('PAYLOAD_TOO_LARGE');
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 1000) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await refusalOf(readLabelFields(post(stream, 'application/json')));
    expect(streamed.code).toBe('PAYLOAD_TOO_LARGE');
    expect(sent).toBeLessThan(100); // stopped reading soon after the limit
    const exact = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES - 11) });
    expect(exact.length).toBe(MAX_BODY_BYTES);
    await expect(readLabelFields(post(exact, 'application/json'))).resolves.toBeInstanceOf(Map);
  });
});
