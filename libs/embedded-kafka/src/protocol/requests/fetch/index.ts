import { defineApi } from '../../api-definition';
import { handleFetch } from './fetch-handler';
import type { FetchRequest, FetchResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';
import * as v4q from './v4/request';
import * as v4r from './v4/response';
import * as v5q from './v5/request';
import * as v5r from './v5/response';
import * as v6q from './v6/request';
import * as v6r from './v6/response';
import * as v7q from './v7/request';
import * as v7r from './v7/response';
import * as v8q from './v8/request';
import * as v8r from './v8/response';
import * as v9q from './v9/request';
import * as v9r from './v9/response';
import * as v10q from './v10/request';
import * as v10r from './v10/response';
import * as v11q from './v11/request';
import * as v11r from './v11/response';
import * as v12q from './v12/request';
import * as v12r from './v12/response';
import * as v13q from './v13/request';
import * as v13r from './v13/response';
import * as v14q from './v14/request';
import * as v14r from './v14/response';
import * as v15q from './v15/request';
import * as v15r from './v15/response';
import * as v16q from './v16/request';
import * as v16r from './v16/response';
import * as v17q from './v17/request';
import * as v17r from './v17/response';

/**
 * Fetch (key 1), versions 0-17 (12+ flexible, topics by id from 13). Fetch
 * sessions (KIP-227) are not kept: the response's session id is 0, which tells
 * clients to send full fetches (as a broker with no session slots free does).
 */
export const fetchApi = defineApi<FetchRequest, FetchResponse>({
  apiKey: 1,
  name: 'Fetch',
  flexibleFromVersion: 12,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
    { decode: v5q.decode, encode: v5r.encode },
    { decode: v6q.decode, encode: v6r.encode },
    { decode: v7q.decode, encode: v7r.encode },
    { decode: v8q.decode, encode: v8r.encode },
    { decode: v9q.decode, encode: v9r.encode },
    { decode: v10q.decode, encode: v10r.encode },
    { decode: v11q.decode, encode: v11r.encode },
    { decode: v12q.decode, encode: v12r.encode },
    { decode: v13q.decode, encode: v13r.encode },
    { decode: v14q.decode, encode: v14r.encode },
    { decode: v15q.decode, encode: v15r.encode },
    { decode: v16q.decode, encode: v16r.encode },
    { decode: v17q.decode, encode: v17r.encode },
  ],
  handle: handleFetch,
});
