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

/** Fetch (key 1), versions 0-11. Fetch sessions are not kept (session id 0: clients send full fetches). */
export const fetchApi = defineApi<FetchRequest, FetchResponse>({
  apiKey: 1,
  name: 'Fetch',
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
  ],
  handle: handleFetch,
});
