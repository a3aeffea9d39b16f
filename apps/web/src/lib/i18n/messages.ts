import type { Locale } from './locale';

/** Every text of the consumer pages, in each locale. `{name}` marks a value filled in. */
export type Messages = {
  lang: { en: string; 'zh-CN': string; label: string };
  product: { gtin: string; lot: string; serial: string; brand: string; unknownName: string };
  recall: { title: string; body: string; since: string; none: string };
  lotMismatch: string;
  origin: { title: string; where: string; when: string; who: string; none: string };
  journey: { title: string; from: string; to: string; by: string; at: string; none: string };
  steps: Record<string, string>;
  certificates: { title: string; none: string };
  /** Per event: details the reader may not see, and details erased at the owner's request. */
  privacy: { withheld: string; withheldOne: string; erased: string };
  /** Published rules an event broke (accepted with a warning): the summary and each event's. */
  rules: {
    summary: string;
    summaryOne: string;
    record: string;
    explain: string;
    flag: string;
    /** Consumer titles of the published rules, by rule ID; an unknown ID is shown as it is. */
    titles: Record<string, string>;
  };
  coldChain: { title: string; excursion: string; ok: string; limit: string; readings: string };
  verify: {
    title: string;
    checking: string;
    unsupported: string;
    noKey: string;
    truncated: string;
    ok: string;
    sealed: string;
    sealedAt: string;
    failed: string;
    unsealed: string;
    noBundle: string;
    details: string;
    leafIndex: string;
    root: string;
    checkpoint: string;
    consistent: string;
    inconsistent: string;
    firstVisit: string;
    hidden: string;
    reasons: Record<string, string>;
  };
  scans: {
    count: string;
    countOne: string;
    manyScans: string;
    farApart: string;
    share: string;
    shared: string;
  };
  invalid: { title: string; body: string; reason: string };
  notFound: { title: string; body: string };
  unavailable: { title: string; body: string };
  footer: string;
};

const en: Messages = {
  lang: { en: 'English', 'zh-CN': '中文', label: 'Language' },
  product: { gtin: 'GTIN', lot: 'Lot', serial: 'Serial', brand: 'Brand', unknownName: 'Product' },
  recall: {
    title: 'Recalled',
    body: 'This product has been recalled. Do not eat or use it; return it to the store or follow the brand’s instructions.',
    since: 'Recall recorded on {date}.',
    none: 'No recall has been recorded for this product.',
  },
  lotMismatch:
    'Warning: this code names lot {claimed}, but the records put this item in lot {actual}. The code may not be genuine.',
  origin: {
    title: 'Origin',
    where: 'Where',
    when: 'When',
    who: 'Who',
    none: 'No origin record yet.',
  },
  journey: {
    title: 'Journey',
    from: 'From',
    to: 'To',
    by: 'By',
    at: 'At',
    none: 'No records yet.',
  },
  steps: {
    commissioning: 'Produced',
    harvesting: 'Harvested',
    cooling: 'Cooled',
    creating_class_instance: 'Produced',
    transformation: 'Processed',
    packing: 'Packed',
    unpacking: 'Unpacked',
    shipping: 'Shipped',
    departing: 'Departed',
    arriving: 'Arrived',
    receiving: 'Received',
    accepting: 'Accepted',
    storing: 'Stored',
    inspecting: 'Inspected',
    loading: 'Loaded',
    unloading: 'Unloaded',
    transporting: 'In transport',
    retail_selling: 'Sold',
    stocking: 'On the shelf',
    sensor_reporting: 'Sensor readings',
    recalled: 'Recalled',
    other: 'Recorded',
  },
  certificates: { title: 'Certificates', none: 'No certificates recorded.' },
  privacy: {
    withheld: '{n} details are private',
    withheldOne: '1 detail is private',
    erased: 'Some details were erased at the owner’s request',
  },
  rules: {
    summary: 'Warning: {n} records of this product broke a published rule.',
    summaryOne: 'Warning: a record of this product broke a published rule.',
    record: 'Record {index} ({step}, {date}): {rule}',
    explain:
      'The log accepted them with a warning. The rules are public, and anyone can re-run them on the sealed records.',
    flag: 'Broke a published rule: {rule}',
    titles: {
      'custody.current-custodian': 'shipped or processed by someone who did not hold it',
      'custody.receipt-matches-shipment': 'received without a matching shipment',
      'custody.no-movement-after-end': 'moved after it was destroyed or taken out of use',
      'custody.aggregation-children': 'packed contents that are unknown or in two packs at once',
      'mass-balance.yield': 'more came out of processing than went in',
    },
  },
  coldChain: {
    title: 'Cold chain',
    excursion: 'Temperature above {limit} for part of the journey.',
    ok: 'Kept at or below {limit} throughout.',
    limit: 'limit',
    readings: '{count} temperature readings',
  },
  verify: {
    title: 'Verification',
    checking: 'Checking the records in your browser…',
    noKey: 'This site has no valid log key configured, so the records cannot be verified here.',
    truncated:
      'This product’s history is longer than one page can check; the oldest records are shown.',
    unsupported:
      'This browser cannot check the log’s signatures (Ed25519). Update it, or open this page in a current browser, to verify the records yourself.',
    ok: 'Verified: {n} of {total} records',
    sealed: 'sealed in checkpoint #{size}',
    sealedAt: 'sealed in checkpoint #{size} on {time}',
    failed: 'Record {index} ({step}, {date}) does not match the sealed log: {reason}',
    unsealed: '{n} newer records are not sealed yet and could not be checked.',
    noBundle: 'No sealed records to check yet.',
    details: 'Details for experts',
    leafIndex: 'leaf index',
    root: 'root hash',
    checkpoint: 'signed checkpoint',
    consistent: 'The log only grew since your last visit (checkpoint #{old} → #{new}).',
    inconsistent:
      'Warning: the log does not extend the one you saw on your last visit (#{old}). Its history may have been rewritten.',
    firstVisit:
      'Your browser will remember this checkpoint and check on your next visit that the log only grew.',
    hidden:
      '{n} private or erased details are sealed too: the check covers them without revealing them.',
    reasons: {
      SIGNATURE_INVALID: 'the log’s signature is not valid',
      UNKNOWN_KEY: 'it was not signed by the log this site trusts',
      CHECKPOINT_MALFORMED: 'the log’s checkpoint is damaged',
      ORIGIN_MISMATCH: 'it comes from a different log',
      ROOT_MISMATCH: 'it differs from what was sealed in the log (changed since, or never sealed)',
      PROOF_SIZE_MISMATCH: 'its proof is damaged',
      INDEX_OUT_OF_RANGE: 'its proof is damaged',
      LEAF_MISMATCH: 'it was changed after it was sealed',
      MALFORMED_INPUT: 'its proof is damaged',
      SHOWN_MISMATCH: 'what this page shows differs from the sealed record',
    },
  },
  scans: {
    count: 'This code has been scanned {count} times.',
    countOne: 'This is the first scan of this code.',
    manyScans:
      'Warning: this code may have been copied. It has been scanned {count} times, more often than one genuine pack usually is.',
    farApart:
      'Warning: this code may have been copied. It was scanned {km} km away only {minutes} minutes earlier: no pack travels that fast.',
    share: 'Help detect copied codes: share my approximate location on future scans',
    shared: 'Thank you: your approximate location (about 10 km) is shared on future scans.',
  },
  invalid: {
    title: 'This is not a valid product link',
    body: 'The code you scanned does not form a valid GS1 Digital Link, so it cannot name a product.',
    reason: 'What is wrong',
  },
  notFound: {
    title: 'Product not found',
    body: 'Nothing has been recorded for this product yet. The code may be new, or it may not be genuine.',
  },
  unavailable: {
    title: 'Temporarily unavailable',
    body: 'The records could not be loaded just now. Please try again in a moment.',
  },
  footer:
    'Every record on this page is checked by your own browser against Traceroot’s public, tamper-evident log.',
};

const zhCN: Messages = {
  lang: { en: 'English', 'zh-CN': '中文', label: '语言' },
  product: {
    gtin: '商品条码 (GTIN)',
    lot: '批号',
    serial: '序列号',
    brand: '品牌',
    unknownName: '产品',
  },
  recall: {
    title: '已召回',
    body: '该产品已被召回。请勿食用或使用；请退回商店或按照品牌方的说明处理。',
    since: '召回记录于 {date}。',
    none: '该产品没有召回记录。',
  },
  lotMismatch:
    '警告：此码标示的批号为 {claimed}，但记录显示该商品属于批号 {actual}。此码可能不是正品。',
  origin: { title: '产地', where: '地点', when: '时间', who: '生产者', none: '暂无产地记录。' },
  journey: { title: '流转历程', from: '从', to: '到', by: '承运', at: '地点', none: '暂无记录。' },
  steps: {
    commissioning: '生产',
    harvesting: '采收',
    cooling: '预冷',
    creating_class_instance: '生产',
    transformation: '加工',
    packing: '装箱',
    unpacking: '拆箱',
    shipping: '发货',
    departing: '出发',
    arriving: '到达',
    receiving: '收货',
    accepting: '验收',
    storing: '储存',
    inspecting: '检验',
    loading: '装车',
    unloading: '卸车',
    transporting: '运输中',
    retail_selling: '售出',
    stocking: '上架',
    sensor_reporting: '传感器读数',
    recalled: '召回',
    other: '记录',
  },
  certificates: { title: '认证', none: '暂无认证记录。' },
  privacy: {
    withheld: '{n} 项信息不公开',
    withheldOne: '1 项信息不公开',
    erased: '部分信息已应所有者要求删除',
  },
  rules: {
    summary: '警告：该产品有 {n} 条记录违反了公开的规则。',
    summaryOne: '警告：该产品有一条记录违反了公开的规则。',
    record: '第 {index} 条记录（{step}，{date}）：{rule}',
    explain: '日志已接收这些记录并加以警示。规则是公开的，任何人都可以对封存的记录重新核查。',
    flag: '违反了公开的规则：{rule}',
    titles: {
      'custody.current-custodian': '由并不持有该商品的一方发货或加工',
      'custody.receipt-matches-shipment': '收货没有对应的发货记录',
      'custody.no-movement-after-end': '在销毁或停用之后仍有流转',
      'custody.aggregation-children': '包装内的物品不存在，或同时属于两个包装',
      'mass-balance.yield': '加工产出多于投入',
    },
  },
  coldChain: {
    title: '冷链',
    excursion: '运输途中有一段时间温度高于 {limit}。',
    ok: '全程温度不高于 {limit}。',
    limit: '上限',
    readings: '{count} 个温度读数',
  },
  verify: {
    title: '验证',
    checking: '正在您的浏览器中核验记录…',
    noKey: '本站未配置有效的日志密钥，因此无法在此核验记录。',
    truncated: '该产品的记录过多，本页只显示并核验最早的部分记录。',
    unsupported:
      '此浏览器无法核验日志签名（Ed25519）。请更新浏览器，或在新版浏览器中打开本页以自行核验记录。',
    ok: '已验证：{total} 条记录中的 {n} 条',
    sealed: '封存于检查点 #{size}',
    sealedAt: '封存于检查点 #{size}（{time}）',
    failed: '第 {index} 条记录（{step}，{date}）与封存的日志不一致：{reason}',
    unsealed: '有 {n} 条较新的记录尚未封存，无法核验。',
    noBundle: '暂无可核验的封存记录。',
    details: '专业信息',
    leafIndex: '叶子序号',
    root: '根哈希',
    checkpoint: '签名检查点',
    consistent: '自您上次访问以来，日志只增加未被改写（检查点 #{old} → #{new}）。',
    inconsistent: '警告：当前日志不是您上次访问时所见日志（#{old}）的延续，其历史可能被改写。',
    firstVisit: '您的浏览器会记住此检查点，并在下次访问时核验日志只增未改。',
    hidden: '另有 {n} 项不公开或已删除的信息同样已封存：核验涵盖了它们，但不会透露其内容。',
    reasons: {
      SIGNATURE_INVALID: '日志签名无效',
      UNKNOWN_KEY: '不是由本站信任的日志签名',
      CHECKPOINT_MALFORMED: '日志检查点已损坏',
      ORIGIN_MISMATCH: '来自另一个日志',
      ROOT_MISMATCH: '它与日志中封存的内容不同（封存后被改动，或从未封存）',
      PROOF_SIZE_MISMATCH: '其证明已损坏',
      INDEX_OUT_OF_RANGE: '其证明已损坏',
      LEAF_MISMATCH: '封存后被修改过',
      MALFORMED_INPUT: '其证明已损坏',
      SHOWN_MISMATCH: '本页显示的内容与封存的记录不同',
    },
  },
  scans: {
    count: '此码已被扫描 {count} 次。',
    countOne: '这是此码的首次扫描。',
    manyScans: '警告：此码可能被复制。它已被扫描 {count} 次，远多于一件正品通常的扫描次数。',
    farApart:
      '警告：此码可能被复制。仅 {minutes} 分钟前，它在 {km} 公里外被扫描过：正品不可能移动得这么快。',
    share: '帮助识别被复制的码：以后扫描时分享我的大致位置',
    shared: '谢谢：以后扫描时将分享您的大致位置（约 10 公里）。',
  },
  invalid: {
    title: '这不是有效的产品链接',
    body: '您扫描的码不是有效的 GS1 数字链接，无法对应任何产品。',
    reason: '问题所在',
  },
  notFound: {
    title: '未找到该产品',
    body: '该产品尚无任何记录。此码可能是新的，也可能不是正品。',
  },
  unavailable: { title: '暂时无法访问', body: '暂时无法加载记录，请稍后再试。' },
  footer: '本页的每一条记录都由您自己的浏览器对照 Traceroot 公开、防篡改的日志进行核验。',
};

export const MESSAGES: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

/** `template` with each `{name}` replaced by `values[name]`. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
