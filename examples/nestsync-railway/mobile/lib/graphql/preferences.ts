import { graphql } from '../../gql';

export const NotificationPreferencesQuery = graphql(`
  query GetNotificationPreferences {
    getNotificationPreferences {
      notificationsEnabled
      notificationConsentGranted
      marketingConsentGranted
    }
  }
`);

export const UpdateNotificationPreferences = graphql(`
  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      notificationsEnabled
      notificationConsentGranted
      marketingConsentGranted
    }
  }
`);
