import { describe, expect, it } from 'vitest';
import { renderDocument } from '../../../main/templates/document';
import { parseTemplate, renderTokens, validateTemplate } from '../../../main/templates/engine';

describe('template engine', () => {
  it('merges Chinese and English field names and reports fields with no value', () => {
    const { tokens, issues, fields } = parseTemplate('尊敬的{{客户姓名}}，您的{{ plate }}将于{{到期日}}到期');
    expect(issues).toEqual([]);
    expect(fields.sort()).toEqual(['customerName', 'dueDate', 'plate']);
    const out = renderTokens(tokens, { customerName: '张伟', plate: '粤A12345' }, false);
    expect(out.text).toBe('尊敬的张伟，您的粤A12345将于到期');
    expect(out.missing).toEqual(['dueDate']);
  });

  it('rejects unknown fields, empty fields and unclosed braces with bilingual messages', () => {
    const issues = validateTemplate('Hi {{客户名字}} {{}} and {{车牌', false);
    expect(issues.map((i) => i.code)).toEqual(['UNKNOWN_FIELD', 'EMPTY_FIELD', 'UNCLOSED']);
    expect(issues[0]?.message.zh).toContain('客户名字');
    expect(issues[0]?.message.en).toContain('Unknown merge field');
  });

  it('never evaluates anything: braces with code are just unknown fields, values are escaped in HTML', () => {
    expect(validateTemplate('{{constructor.constructor("x")()}}', false)[0]?.code).toBe('UNKNOWN_FIELD');
    const { tokens } = parseTemplate('<p>{{客户姓名}}</p>');
    expect(renderTokens(tokens, { customerName: '<img src=x onerror=alert(1)>' }, true).text).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt;</p>',
    );
  });

  it('refuses scripts, event handlers and remote resources in HTML templates', () => {
    const bad = ['<script>x</script>', '<p onclick="x()">', '<a href="javascript:x">', '<div style="background:url(http://e.com/a.png)">', '<img src="https://e.com/x.png">'];
    for (const body of bad) expect(validateTemplate(body, true).map((i) => i.code)).toContain('UNSAFE_HTML');
    expect(validateTemplate('<p style="color:red">{{客户姓名}}</p>', true)).toEqual([]);
  });

  it('renders one page per recipient with the paper size in @page', () => {
    const doc = renderDocument({
      body: '<p>{{称呼}}：{{车牌}}</p>',
      page: 'DL',
      title: '信封',
      recipients: [{ salutation: '张先生', plate: '粤A1' }, { salutation: '李女士' }],
    });
    expect(doc.pages).toBe(2);
    expect(doc.html).toContain('size: 220mm 110mm');
    expect(doc.html.match(/<section class="page">/g)).toHaveLength(2);
    expect(doc.html).toContain('张先生：粤A1');
    expect(doc.missing).toEqual([[], ['plate']]);
    expect(doc.html).toContain("default-src 'none'");
  });
});
